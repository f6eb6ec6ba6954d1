from tests.browserkit import browser, browser_page

__all__ = ["browser", "browser_page"]
