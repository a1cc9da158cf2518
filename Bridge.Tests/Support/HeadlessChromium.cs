using Microsoft.Playwright;

namespace Bridge.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright's bundled driver (no browser is ever downloaded), with the
/// flags this machine's closed network needs and, when asked, a fake microphone that says a committed WAV file once.
/// Where Chromium is not installed the test is skipped with a message saying how to install it — except on CI
/// (<c>CI=true</c>), where <c>.ci/run</c> installs it, so its absence fails the run.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static void SkipUnlessInstalled()
    {
        if (File.Exists(ExecutablePath))
        {
            return;
        }
        const string Install = "the browser tests need Debian's Chromium at " + ExecutablePath + " (apt-get install chromium; .ci/run installs it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("Chromium is missing on CI: " + Install);
        }
        Skip.If(true, "Chromium is not installed: " + Install);
    }

    /// <param name="microphone">A WAV file (PCM 16-bit) the fake microphone says once, then silence.</param>
    public static async Task<HeadlessChromium> LaunchAsync(string? microphone = null)
    {
        SkipUnlessInstalled();
        List<string> args =
        [
            "--no-sandbox", // tests run as root
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--autoplay-policy=no-user-gesture-required",
        ];
        if (microphone is not null)
        {
            args.Add("--use-fake-ui-for-media-stream");
            args.Add("--use-fake-device-for-media-stream");
            args.Add($"--use-file-for-fake-audio-capture={microphone}%noloop");
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Args = args });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
