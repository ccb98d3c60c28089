"""Reset Lab: sourced data, indicators and claim tests on the 2009 U.S.-Russia Reset."""

ESSAY = {
    "title": "Resetting U.S.-Russia Relations Would Be a Mistake",
    "author": "Ruth Deyermond",
    "publisher": "The Moscow Times",
    "date": "2024-09-02",
    "url": "https://www.themoscowtimes.com/2024/09/02/resetting-us-russia-relations-would-be-a-mistake-a8622",
}

__all__ = ["ESSAY"]
