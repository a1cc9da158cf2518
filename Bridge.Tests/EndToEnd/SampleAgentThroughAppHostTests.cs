using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Bridge.TwilioStandIn.Media;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// The AppHost's sample profiles end to end: a call to the order desk's number gets that agent, a key press makes
/// the emulated model use the sample's HTTP tool, the sample backend receives the request signed and verifies it,
/// and its answer reaches the model — all through the real api, worker, emulator and backend.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class SampleAgentThroughAppHostTests(AppHostFixture fixture)
{
    private const string OrderDesk = "+15005550010";
    private static readonly TimeSpan SpanTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_order_desk_looks_an_order_up_at_the_sample_backend_and_the_model_gets_the_answer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var summary = await SimulatedCaller.CallAsync(fixture.WebhookUrl, AppHostFixture.AuthToken, new MediaStreamOptions
        {
            Audio = SimulatedCaller.Saying(SimulatedCaller.Silence(TimeSpan.FromSeconds(6))),
            Dtmf = [new DtmfPress('7', TimeSpan.FromSeconds(1))],
            HangUpAfterQuiet = TimeSpan.FromSeconds(3),
            MaxDuration = TimeSpan.FromSeconds(30),
        }, timeout.Token, fixture.LiveCalls, to: OrderDesk);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Steps));
        var verified = await ResourceLogs.LineAsync("sample-tool-backend", $"Signed request verified: order_status 1042 for call {summary.CallSid} (agent orders");
        Assert.Contains("caller +14155550100", verified, StringComparison.Ordinal);
        await ResourceLogs.LineAsync("media-worker", $"Call {summary.CallSid}: tool order_status succeeded");
        // The emulator speaks what the tool returned; the worker logs what the assistant said.
        var answer = await ResourceLogs.LineAsync("media-worker", "[tool result received: {\"orderNumber\":\"1042\",\"status\":\"shipped");
        Assert.Contains("Assistant", answer, StringComparison.Ordinal);
        Assert.True(summary.Stream!.HeardAudio > TimeSpan.FromSeconds(1), "the caller heard neither the greeting nor the answer");

        // The trace (what the dashboard's Traces page shows): the call's span holds the tool's, which holds its POST.
        var span = await fixture.Telemetry.WaitForSpanAsync(s => s.Service == "media-worker" && s.Name == "tool order_status" &&
            s.Attributes.GetValueOrDefault("twilio.call_sid") == summary.CallSid, SpanTimeout);
        Assert.Equal(("succeeded", "orders"), (span.Attributes.GetValueOrDefault("tool.outcome"), span.Attributes.GetValueOrDefault("agent")));
        await fixture.Telemetry.WaitForSpanAsync(s => s.TraceId == span.TraceId && s.Name == "POST" && s.ParentSpanId == span.SpanId, SpanTimeout);
        await fixture.Telemetry.WaitForSpanAsync(s => s.TraceId == span.TraceId && s.Service == "media-worker" && s.Name == CallHost.CallSpanName, SpanTimeout);
    }
}
