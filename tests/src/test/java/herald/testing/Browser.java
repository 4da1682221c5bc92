package herald.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for the console's end-to-end tests: Debian's {@code chromium}, driven through Debian's
 * {@code chromedriver} (both given explicitly, so Selenium never looks for or downloads a browser), started with the
 * flags this closed network needs. Without them a test fails with how to install them; it never skips.
 * {@code HERALD_CHROMIUM} and {@code HERALD_CHROMEDRIVER} point elsewhere.
 */
public final class Browser implements AutoCloseable {

    /** Where each page's screenshot is saved: a test artifact. */
    public static final Path SCREENSHOTS = Paths.get("target", "console-screenshots");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser start(int width, int height) throws IOException {
        Path chromium = executable("HERALD_CHROMIUM", List.of("/usr/bin/chromium", "/usr/bin/chromium-browser"));
        Path chromedriver = executable("HERALD_CHROMEDRIVER", List.of("/usr/bin/chromedriver"));
        Path profile = Files.createTempDirectory("herald-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        return new Browser(driver, profile);
    }

    private static Path executable(String variable, List<String> candidates) {
        Optional<String> chosen = Optional.ofNullable(System.getenv(variable)).filter(s -> !s.isBlank());
        for (String candidate : chosen.map(List::of).orElse(candidates)) {
            if (Files.isExecutable(Paths.get(candidate))) {
                return Paths.get(candidate);
            }
        }
        throw new IllegalStateException("The console's browser tests need Debian's Chromium and its driver, and "
                + chosen.orElse(String.join(" or ", candidates)) + " is not there. Run ./test, which installs them, or "
                + "install them yourself: sudo apt-get update && sudo apt-get install -y chromium chromium-driver "
                + "(or set " + variable + " to where yours is)");
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits (at most 30 s) for what {@code condition} returns to be non-null and not false. */
    public <T> T until(String what, ExpectedCondition<T> condition) {
        // a page that re-renders replaces the element being read: read it again
        return new WebDriverWait(driver, Duration.ofSeconds(30)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Waits for an element that matches {@code css} and is shown. */
    public WebElement shown(String css) {
        return until(css + " shown", d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed)
                .findFirst().orElse(null));
    }

    /** Waits for the element {@code css} to contain {@code text}. */
    public WebElement containing(String css, String text) {
        return until(css + " containing '" + text + "'", d -> d.findElements(By.cssSelector(css)).stream()
                .filter(e -> e.getText().contains(text)).findFirst().orElse(null));
    }

    /** Empties the browser's cache, so that the next load is a first load. */
    public void clearCache() {
        driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
    }

    public Object script(String javascript, Object... arguments) {
        return driver.executeScript(javascript, arguments);
    }

    /**
     * Saves a screenshot of the whole page (beyond the window, at the window's width) as
     * {@code target/console-screenshots/<name>.png}.
     */
    public Path screenshot(String name) throws IOException {
        driver.executeScript("document.getElementById('toasts')?.replaceChildren(); window.scrollTo(0, 0)");
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) driver.executeScript("return {width: "
                + "document.documentElement.clientWidth, height: document.documentElement.scrollHeight}");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", size.get("width"),
                        "height", Math.min(((Number) size.get("height")).longValue(), 4000), "scale", 1)));
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, java.util.Base64.getDecoder().decode((String) shot.get("data")));
        return file;
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
