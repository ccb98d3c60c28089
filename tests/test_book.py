import shutil

from resetlab import book, paths, runner


def test_chapters_are_numbered_and_start_with_the_index():
    names = [p.name for p in runner.notebooks()]
    assert names[0] == book.INDEX
    assert len(names) >= 2


def test_navigation_cells_are_current(tmp_path):
    folder = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, folder)
    assert book.update_navigation(folder) == []


def test_navigation_links_prev_contents_next():
    chapters = runner.notebooks()
    nav = book.navigation(chapters[1])
    assert f"< [{book.title(chapters[0])}]({chapters[0].name})" in nav
    assert "[Contents](00.00-Index.ipynb)" in nav


def test_every_chapter_declares_its_parameters_in_a_tagged_cell():
    for path in runner.notebooks()[1:]:
        declared = runner.declared_parameters(path)
        assert declared, path.name
        assert all(p.help for p in declared.values()), path.name


def test_every_chapter_states_its_question_and_is_listed():
    table = book.contents()
    for path in runner.notebooks()[1:]:
        assert book.summary(path).endswith("?"), path.name
        assert f"]({path.name})" in table
