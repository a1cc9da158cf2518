using System.Globalization;
using Aspire.Hosting.Testing;
using Bridge.Tests.Support;
using Microsoft.Playwright;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// The softphone as a person uses it, in a real browser: Chromium, headless, with a fake microphone saying a
/// committed utterance, opens the page the AppHost started, calls, hears the emulator echo the utterance through
/// the api, the media worker and Twilio's playback rules, sees both turns in the transcript, presses a key the model
/// answers, and hangs up — which ends the call on the worker. Every wait is for a signal on the page.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class SoftphoneInBrowserTests(AppHostFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);
    private static readonly string Microphone = Path.Combine(AppContext.BaseDirectory, "Tools", "Softphone", "microphone.wav");

    [SkippableFact]
    public async Task A_person_calls_hears_the_echo_sees_both_turns_presses_a_key_and_hangs_up()
    {
        HeadlessChromium.SkipUnlessInstalled();
        using (var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("softphone", ready.Token);
        }
        await using var chromium = await HeadlessChromium.LaunchAsync(Microphone);
        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 760 } });
        page.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        await page.GotoAsync(fixture.App.GetEndpoint("softphone", "http").ToString());
        await page.WaitForSelectorAsync("body[data-ready='true']");

        // The AppHost's sample profiles, offered with the number that reaches each agent (the same document the api reads).
        await page.WaitForSelectorAsync("body[data-agents]");
        Assert.Equal("front-desk,orders,reminders", await Data(page, "agents"));
        await page.SelectOptionAsync("#agent", new SelectOptionValue { Label = "orders (+15005550010, tiffany)" });
        Assert.Equal("+15005550010", await page.InputValueAsync("#number"));
        await page.SelectOptionAsync("#agent", new SelectOptionValue { Index = 0 });
        Assert.Equal("+15005550006", await page.InputValueAsync("#number"));

        await page.ClickAsync("#call");
        await page.WaitForSelectorAsync("body[data-state='connected']");

        // The utterance (about 1.7 s of speech) is echoed: the caller's turn, the reply's latency, the assistant's turn.
        var callerTurn = await page.WaitForSelectorAsync(".transcript li.caller");
        Assert.Matches(@"\[caller spoke for 1\.[5-9] s\]", await callerTurn!.InnerTextAsync());
        await page.WaitForSelectorAsync(".transcript li.caller .latency");
        var assistantTurn = await page.WaitForSelectorAsync(".transcript li.assistant");
        Assert.Contains("[echoing 1.", await assistantTurn!.InnerTextAsync(), StringComparison.Ordinal);

        // What the speakers played: the echo, loud and about as long as the speech (µ-law-decoded, 8 kHz).
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.heardMs) >= 1200");
        Assert.True(double.Parse(await Data(page, "heardPeak"), CultureInfo.InvariantCulture) >= 0.1, "the echo was too quiet");

        await page.ClickAsync(".keypad [data-key='5']");
        var keyReply = await page.WaitForSelectorAsync(".transcript li.assistant:has-text('pressed 5')");
        Assert.Contains("The caller pressed 5 on the phone's keypad", await keyReply!.InnerTextAsync(), StringComparison.Ordinal);

        if (Environment.GetEnvironmentVariable("BRIDGE_UPDATE_SCREENSHOT") == "1")
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryRoot.Path, "docs", "softphone.png") });
        }

        await page.ClickAsync("#hangup");
        await page.WaitForSelectorAsync("body[data-state='ended']");
        await page.WaitForSelectorAsync("body[data-worker-ended='caller-hung-up']");
        Assert.Contains("the caller hung up", await page.InnerTextAsync("#status"), StringComparison.Ordinal);

        // One echo of 1.7 s and a 1.2 s chime: nothing played twice, nothing looped.
        var heardMs = int.Parse(await Data(page, "heardMs"), CultureInfo.InvariantCulture);
        Assert.InRange(heardMs, 1200, 4500);
        Assert.Equal("1", await Data(page, "turns"));
    }

    private static Task<string> Data(IPage page, string name) => page.EvaluateAsync<string>($"() => document.body.dataset.{name}");
}
