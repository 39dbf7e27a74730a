"""The app builds and serves its home page on every backend."""


def test_home_lists_published_events(client, make):
    make.event("jatim-2026", status="published")
    make.event("draft-2027", status="draft")
    page = client.get("/").get_data(as_text=True)
    assert "Event jatim-2026" in page
    assert "Event draft-2027" not in page
