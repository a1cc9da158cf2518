using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Bridge.TwilioStandIn.Media;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.MediaWorker.PublicEdge;

/// <summary>
/// A stream token opens one stream, for a call Twilio says is live on our account: a token used again (after its
/// call, or at the same time on a second socket) and a fresh token for a call that is over (a replayed voice
/// webhook) are refused before any model stream is opened.
/// </summary>
public sealed class StreamTokenReuseTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private InProcessMediaWorker _worker = null!;
    private MetricCollector<long> _rejected = null!;

    public async Task InitializeAsync()
    {
        _worker = await InProcessMediaWorker.StartAsync();
        _rejected = new MetricCollector<long>(_worker.Services.GetRequiredService<IMeterFactory>(), CallTelemetry.MeterName, "bridge.calls.rejected");
    }

    public async Task DisposeAsync()
    {
        _rejected.Dispose();
        await _worker.DisposeAsync();
    }

    [Fact]
    public async Task A_token_used_again_after_its_call_ended_is_refused_before_the_model()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var start = _worker.Streams.NewStart(TimeSpan.FromMinutes(1));
        var call = await CallAsync(start, TimeSpan.FromSeconds(1), timeout.Token);
        Assert.Equal(StreamEnd.MaxDuration, call.End);
        var modelStreams = _worker.Emulator.Counters.StreamsOpened;

        var (status, reason) = await ReplayAsync(start, timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("already opened a stream on this worker", reason, StringComparison.Ordinal);
        Assert.Equal(modelStreams, _worker.Emulator.Counters.StreamsOpened);
        Assert.Equal(1, _rejected.Sum("reason", "token-reused"));
    }

    [Fact]
    public async Task The_same_token_on_a_second_socket_while_its_call_is_live_is_refused_and_the_call_goes_on()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var hangUp = new CancellationTokenSource();
        var start = _worker.Streams.NewStart();
        var live = await LoopbackCall.StartAsync(_worker.Streams, TimeSpan.FromMinutes(1), hangUp.Token, timeout.Token, start);
        await live.FirstAudioAsync(timeout.Token);
        var modelStreams = _worker.Emulator.Counters.StreamsOpened;

        var (status, reason) = await ReplayAsync(start, timeout.Token);
        await hangUp.CancelAsync();
        var result = await live.Result.WaitAsync(timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("already opened a stream on this worker", reason, StringComparison.Ordinal);
        Assert.Equal(modelStreams, _worker.Emulator.Counters.StreamsOpened);
        Assert.Equal(StreamEnd.CallerHungUp, result.End);
    }

    /// <summary>
    /// A captured voice webhook replayed to the api after the call ended gets a fresh, validly signed token for that
    /// call SID (the api keeps no state). No worker has seen that token, so the single-use memory does not stop it;
    /// Twilio's REST API, asked before the model opens, says the call is over.
    /// </summary>
    [Fact]
    public async Task A_fresh_token_for_a_call_that_is_no_longer_live_is_refused_before_the_model()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var start = _worker.Streams.NewStart();
        _worker.Twilio.EndedCalls[start.CallSid] = true;
        var modelStreams = _worker.Emulator.Counters.StreamsOpened;

        var (status, reason) = await ReplayAsync(start, timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("Twilio has no such call on this account", reason);
        Assert.Equal(modelStreams, _worker.Emulator.Counters.StreamsOpened);
        Assert.Equal(1, _rejected.Sum("reason", "call-not-live"));
        // Asked as the configured account, whatever a start says.
        var fetch = Assert.Single(_worker.Twilio.Fetches, f => f.CallSid == start.CallSid);
        Assert.Equal((DirectStream.AccountSid, DirectStream.AccountSid), (fetch.AccountSid, fetch.AuthenticatedAs));
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("ringing")]
    public async Task A_call_twilio_reports_in_another_status_than_in_progress_is_refused(string twilioStatus)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var start = _worker.Streams.NewStart();
        _worker.Twilio.CallStatuses[start.CallSid] = twilioStatus;

        var (status, reason) = await ReplayAsync(start, timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal($"Twilio reports the call {twilioStatus}, not in-progress", reason);
    }

    [Fact]
    public async Task When_twilio_cannot_confirm_a_call_it_is_refused_so_that_the_caller_hears_the_apology()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        _worker.Twilio.FailFetchesWith = 500;
        var modelStreams = _worker.Emulator.Counters.StreamsOpened;

        var (status, reason) = await ReplayAsync(_worker.Streams.NewStart(), timeout.Token);

        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.StartsWith("Twilio could not confirm the call", reason, StringComparison.Ordinal);
        Assert.Equal(modelStreams, _worker.Emulator.Counters.StreamsOpened);
    }

    private async Task<MediaStreamResult> CallAsync(StreamStart start, TimeSpan length, CancellationToken cancellationToken)
    {
        var call = await LoopbackCall.StartAsync(_worker.Streams, length, CancellationToken.None, cancellationToken, start);
        return await call.Result.WaitAsync(cancellationToken);
    }

    /// <summary>A new socket presenting <paramref name="start"/>; the worker's close status and reason.</summary>
    private async Task<(WebSocketCloseStatus? Status, string? Reason)> ReplayAsync(StreamStart start, CancellationToken cancellationToken)
    {
        await using var stream = await RawMediaStream.OpenAsync(_worker.Streams, start, cancellationToken);
        await stream.SendConnectedAndStartAsync(cancellationToken);
        var status = await stream.WaitForCloseAsync(cancellationToken);
        return (status, stream.CloseDescription);
    }
}
