using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Bridge.HttpTools;
using Bridge.HttpTools.Callbacks;
using Bridge.MediaWorker.Calls;
using Bridge.MediaWorker.Outbound;
using Bridge.Security.Sealing;
using Bridge.Tests.Support;
using Bridge.TwilioStandIn.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Bridge.Tests.MediaWorker.Outbound;

/// <summary>
/// The worker's conversation callback on the real worker (in process, the emulator as its model): an outbound call's
/// stream carries the operator's URL sealed for it, and when the call ends the worker posts <c>call.conversation</c>,
/// signed with the callback secret; a failing operator is retried a few times and then given up with a log; an
/// inbound call sends nothing; a changed parameter is refused with the stream; outside Development a callback to this
/// machine gets no connection; a stopping worker waits for callbacks under way only a bounded time.
/// </summary>
public sealed class ConversationCallbackTests : IAsyncLifetime
{
    private const string Secret = "conversation-callback-secret-0123456789abcdef";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly CallbackRetryPolicy QuickRetries = new() { MaxAttempts = 3, FirstDelay = TimeSpan.FromMilliseconds(20) };

    private readonly List<IAsyncDisposable> _disposables = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_outbound_call_sends_the_operator_its_conversation_signed_once_it_has_ended()
    {
        var (worker, results) = await StartWorkerAsync(allowLoopback: true);
        var receiver = await ReceiverAsync();
        using var timeout = new CancellationTokenSource(Timeout);

        var start = OutboundStart(worker, receiver.Url, new Dictionary<string, string> { ["var.patientName"] = "Ana Lima" });
        var call = await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromSeconds(1.5), CancellationToken.None, timeout.Token, start);
        var result = await call.Result.WaitAsync(timeout.Token);
        var callback = await receiver.ReceivedAsync(start.CallSid, Timeout, OperatorCallbackReceiver.Conversation);

        Assert.Equal(StreamEnd.MaxDuration, result.End);
        Assert.Equal(CallConversation.EventName, callback.Event);
        Assert.True(ToolRequestSigner.Verify(Encoding.UTF8.GetBytes(Secret), callback.Timestamp, callback.Signature, callback.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)),
            "the conversation callback's signature does not verify with the callback secret");
        using var json = JsonDocument.Parse(callback.Body);
        var body = json.RootElement;
        Assert.Equal("call.conversation", body.GetProperty("event").GetString());
        Assert.Equal(start.CallSid, body.GetProperty("callSid").GetString());
        Assert.Equal(start.StreamSid, body.GetProperty("streamSid").GetString());
        Assert.Equal("configured", body.GetProperty("agent").GetString());
        Assert.Equal("+15555550199", body.GetProperty("to").GetString());
        Assert.Equal("Ana Lima", body.GetProperty("variables").GetProperty("patientName").GetString());
        Assert.Equal("caller-hung-up", body.GetProperty("endReason").GetString());
        Assert.True(body.GetProperty("durationSeconds").GetDouble() >= 1);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("turns").ValueKind);
        Assert.True(body.GetProperty("usage").TryGetProperty("inputTokens", out _), Encoding.UTF8.GetString(callback.Body));
        await results.WaitForMeasurementsAsync(1, Timeout);
        Assert.Equal(1, results.Sum("result", "delivered"));
        Assert.Equal(1, receiver.Attempts(start.CallSid, OperatorCallbackReceiver.Conversation));
    }

    [Fact]
    public async Task A_failing_operator_is_tried_again_a_few_times_then_given_up_with_a_log_line()
    {
        var (worker, results) = await StartWorkerAsync(allowLoopback: true);
        var receiver = await ReceiverAsync(status: 503);
        using var timeout = new CancellationTokenSource(Timeout);

        var start = OutboundStart(worker, receiver.Url);
        var call = await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromSeconds(1), CancellationToken.None, timeout.Token, start);
        await call.Result.WaitAsync(timeout.Token);
        await results.WaitForMeasurementsAsync(1, Timeout);

        Assert.Equal(1, results.Sum("result", "failed"));
        Assert.Equal(QuickRetries.MaxAttempts, receiver.Attempts(start.CallSid, OperatorCallbackReceiver.Conversation));
        Assert.Contains(worker.Logs.GetSnapshot(), e => e.Message ==
            $"Call {start.CallSid}: the conversation callback to 127.0.0.1 was not delivered after {QuickRetries.MaxAttempts} attempts (HTTP 503); given up");
    }

    [Fact]
    public async Task An_inbound_call_sends_no_conversation_callback()
    {
        var (worker, results) = await StartWorkerAsync(allowLoopback: true);
        var receiver = await ReceiverAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        var registry = worker.Services.GetRequiredService<CallRegistry>();

        var inbound = await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromSeconds(1), CancellationToken.None, timeout.Token);
        await inbound.Result.WaitAsync(timeout.Token);
        // The call's slot is released only after the call has handed its conversation over (or not): then nothing is pending.
        while (registry.Active > 0)
        {
            await Task.Delay(20, timeout.Token);
        }

        Assert.Equal(0, worker.Services.GetRequiredService<ConversationCallbacks>().Pending);
        Assert.Empty(results.GetMeasurementSnapshot());
        Assert.Equal(0, receiver.Total);
    }

    [Fact]
    public async Task A_changed_callback_parameter_is_refused_with_the_stream_before_the_model()
    {
        var (worker, _) = await StartWorkerAsync(allowLoopback: true);
        var receiver = await ReceiverAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        var start = OutboundStart(worker, receiver.Url);
        var otherUrl = new ConversationCallbackParameter(InProcessMediaWorker.AuthToken).Seal(new Uri("https://attacker.example.com/"), start.CallSid);
        var tampered = start with
        {
            CustomParameters = [.. start.CustomParameters.Select(p => p.Key == ConversationCallbackParameter.Name ? new(p.Key, otherUrl) : p)],
        };
        var modelStreams = worker.Emulator.Counters.StreamsOpened;

        await using var stream = await RawMediaStream.OpenAsync(worker.Streams, tampered, timeout.Token);
        await stream.SendConnectedAndStartAsync(timeout.Token);
        var status = await stream.WaitForCloseAsync(timeout.Token);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("stream token BadSignature", stream.CloseDescription);
        Assert.Equal(modelStreams, worker.Emulator.Counters.StreamsOpened);
    }

    [Fact]
    public async Task A_callback_sealed_for_another_call_is_not_used_and_the_call_goes_on()
    {
        var (worker, results) = await StartWorkerAsync(allowLoopback: true);
        var receiver = await ReceiverAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        var seal = new ConversationCallbackParameter(InProcessMediaWorker.AuthToken);
        // Validly signed by the stream token, but sealed for another call's SID: copied from another call's TwiML.
        var start = worker.Streams.NewStart(extra: _ => [new(ConversationCallbackParameter.Name, seal.Seal(receiver.Url, "CA00000000000000000000000000000000"))]);

        var call = await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromSeconds(1), CancellationToken.None, timeout.Token, start);
        var result = await call.Result.WaitAsync(timeout.Token);

        Assert.Equal(StreamEnd.MaxDuration, result.End);
        Assert.Equal(1, results.Sum("result", "unreadable"));
        Assert.Equal(0, receiver.Total);
    }

    [Fact]
    public async Task Outside_Development_a_callback_to_this_machine_gets_no_connection_and_is_not_tried_again()
    {
        var (worker, results) = await StartWorkerAsync(allowLoopback: false);
        var receiver = await ReceiverAsync();
        using var timeout = new CancellationTokenSource(Timeout);

        var start = OutboundStart(worker, receiver.Url);
        var call = await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromSeconds(1), CancellationToken.None, timeout.Token, start);
        await call.Result.WaitAsync(timeout.Token);
        await results.WaitForMeasurementsAsync(1, Timeout);

        Assert.Equal(1, results.Sum("result", "refused"));
        Assert.Equal(0, receiver.Total);
        Assert.Contains(worker.Logs.GetSnapshot(), e => e.Message.StartsWith($"Call {start.CallSid}: the conversation callback to 127.0.0.1 was refused (127.0.0.1 resolves to no public address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stopping_worker_waits_for_a_callback_under_way_only_a_bounded_time_then_abandons_it()
    {
        var hanging = new TaskCompletionSource();
        var (worker, results) = await StartWorkerAsync(allowLoopback: true, drainWait: TimeSpan.FromMilliseconds(200));
        var receiver = await ReceiverAsync(answer: hanging.Task);
        using var timeout = new CancellationTokenSource(Timeout);
        var callbacks = worker.Services.GetRequiredService<ConversationCallbacks>();

        var start = OutboundStart(worker, receiver.Url);
        var call = await LoopbackCall.StartAsync(worker.Streams, TimeSpan.FromSeconds(1), CancellationToken.None, timeout.Token, start);
        await call.Result.WaitAsync(timeout.Token);
        while (receiver.Total == 0)
        {
            await Task.Delay(20, timeout.Token);
        }

        await callbacks.StopAsync(CancellationToken.None).WaitAsync(timeout.Token);
        hanging.SetResult();

        Assert.Equal(0, callbacks.Pending);
        Assert.Equal(1, results.Sum("result", "abandoned"));
        Assert.Contains(worker.Logs.GetSnapshot(), e => e.Message == $"Call {start.CallSid}: the conversation callback to 127.0.0.1 was abandoned: the worker is stopping");
    }

    private static StreamStart OutboundStart(InProcessMediaWorker worker, Uri callback, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var seal = new ConversationCallbackParameter(InProcessMediaWorker.AuthToken);
        return worker.Streams.NewStart(extra: callSid => [.. parameters ?? new Dictionary<string, string>(), new(ConversationCallbackParameter.Name, seal.Seal(callback, callSid))]);
    }

    private async Task<(InProcessMediaWorker Worker, MetricCollector<long> Results)> StartWorkerAsync(bool allowLoopback, TimeSpan? drainWait = null)
    {
        var worker = await InProcessMediaWorker.StartAsync(
            settings: new Dictionary<string, string?> { ["Outbound:CallbackSecret"] = Secret },
            services: allowLoopback
                ? services => services.AddSingleton(new ConversationCallbackDelivery(new SignedCallbackClient(allowLoopback: true), QuickRetries, drainWait ?? TimeSpan.FromSeconds(5)))
                : null);
        _disposables.Add(worker);
        var results = new MetricCollector<long>(worker.Services.GetRequiredService<IMeterFactory>(), CallTelemetry.MeterName, "bridge.outbound.conversation_callbacks");
        _disposables.Add(new DisposeAction(results.Dispose));
        return (worker, results);
    }

    private async Task<OperatorCallbackReceiver> ReceiverAsync(int status = 204, Task? answer = null)
    {
        var receiver = await OperatorCallbackReceiver.StartAsync(status, answer);
        _disposables.Add(receiver);
        return receiver;
    }

    private sealed class DisposeAction(Action dispose) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            dispose();
            return ValueTask.CompletedTask;
        }
    }
}
