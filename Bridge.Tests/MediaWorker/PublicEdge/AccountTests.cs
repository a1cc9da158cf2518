using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.MediaWorker.PublicEdge;

/// <summary>The account is the bridge's own (<c>Twilio:AccountSid</c>), never one a stream names.</summary>
public sealed class AccountTests : IAsyncLifetime
{
    private InProcessMediaWorker _worker = null!;

    public async Task InitializeAsync() => _worker = await InProcessMediaWorker.StartAsync();

    public async Task DisposeAsync() => await _worker.DisposeAsync();

    [Fact]
    public async Task A_start_naming_another_account_is_refused_before_its_token_the_model_or_twilio_are_asked()
    {
        using var rejected = new MetricCollector<long>(_worker.Services.GetRequiredService<IMeterFactory>(), CallTelemetry.MeterName, "bridge.calls.rejected");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var start = _worker.Streams.NewStart();
        await using var stream = await RawMediaStream.OpenAsync(_worker.Streams, start, timeout.Token);
        stream.AccountSid = "ACffffffffffffffffffffffffffffffff";

        await stream.SendConnectedAndStartAsync(timeout.Token);
        var status = await stream.WaitForCloseAsync(timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("the stream belongs to account ACffffffffffffffffffffffffffffffff, not this bridge's", stream.CloseDescription);
        Assert.Equal(1, rejected.Sum("reason", "account"));
        Assert.Equal(0, _worker.Emulator.Counters.StreamsOpened);
        Assert.DoesNotContain(_worker.Twilio.Fetches, f => f.CallSid == start.CallSid);
    }

    [Theory]
    [InlineData("CA123", "MZ0123456789abcdef0123456789abcdef")]
    [InlineData("CA0123456789abcdef0123456789abcdef/../../Calls/CAvictim", "MZ0123456789abcdef0123456789abcdef")]
    [InlineData("CA0123456789abcdef0123456789abcdef", "MZ01")]
    public async Task A_start_whose_sids_are_not_twilio_s_is_refused_before_they_are_used(string callSid, string streamSid)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var start = _worker.Streams.NewStart() with { CallSid = callSid, StreamSid = streamSid };
        await using var stream = await RawMediaStream.OpenAsync(_worker.Streams, start, timeout.Token);

        await stream.SendConnectedAndStartAsync(timeout.Token);
        var status = await stream.WaitForCloseAsync(timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.StartsWith("start carries an account, call or stream SID that is not in Twilio's form", stream.CloseDescription, StringComparison.Ordinal);
        Assert.Empty(_worker.Twilio.Fetches);
    }
}
