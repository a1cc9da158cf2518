using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Bridge.Agents;
using Bridge.HttpTools.Callbacks;
using Bridge.MediaWorker.Calls;
using Bridge.Security.Sealing;
using Bridge.TwilioMedia;
using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.Outbound;

/// <summary>
/// Sends the operator of an outbound call what was said in it (<c>call.conversation</c>), when its conversation ends:
/// the api cannot, it never hears the conversation. The operator's URL reaches the worker sealed in the call's stream
/// parameters (<see cref="ConversationCallbackParameter"/>); the callback is signed with <c>Outbound:CallbackSecret</c>
/// as the api's outcome callback is. It runs after the call, never delaying its end or holding its slot: retried on a
/// 5xx, a timeout or no connection (<see cref="CallbackRetryPolicy"/>), counted by result
/// (<c>bridge.outbound.conversation_callbacks</c>) and logged in one line; a stopping worker waits for those under
/// way a bounded time (<see cref="ConversationCallbackDelivery.DrainWait"/>).
/// </summary>
public sealed partial class ConversationCallbacks : IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConversationCallbackOptions _options;
    private readonly byte[] _secret;
    private readonly ConversationCallbackParameter _parameter;
    private readonly ConversationCallbackDelivery _delivery;
    private readonly TimeProvider _time;
    private readonly ILogger<ConversationCallbacks> _logger;
    private readonly Counter<long> _results;
    private readonly CancellationTokenSource _abandon = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _pending = [];
    private bool _stopping;

    public ConversationCallbacks(
        IOptions<ConversationCallbackOptions> options,
        ConversationCallbackParameter parameter,
        ConversationCallbackDelivery delivery,
        IMeterFactory meters,
        TimeProvider time,
        ILogger<ConversationCallbacks> logger)
    {
        _options = options.Value;
        _secret = Encoding.UTF8.GetBytes(_options.CallbackSecret ?? "");
        _parameter = parameter;
        _delivery = delivery;
        _time = time;
        _logger = logger;
        _results = meters.Create(CallTelemetry.MeterName).CreateCounter<long>("bridge.outbound.conversation_callbacks",
            description: "Outbound calls' conversation callbacks, by result (delivered, refused, failed, abandoned, no-secret, unreadable).");
    }

    private int _delivering;

    /// <summary>Callbacks being delivered now.</summary>
    public int Pending => Volatile.Read(ref _delivering);

    /// <summary>
    /// The conversation to report, for an outbound call whose operator gave a callback (and whose stream token has been
    /// verified); null for any other call, and for one whose callback cannot be sent (logged and counted).
    /// </summary>
    internal OutboundConversation? Begin(TwilioStartInfo start, string agent, long startedAt)
    {
        if (!start.CustomParameters.TryGetValue(ConversationCallbackParameter.Name, out var sealedCallback))
        {
            return null;
        }
        if (_parameter.Open(sealedCallback, start.CallSid) is not { } callback)
        {
            LogUnreadable(start.CallSid);
            Count("unreadable");
            return null;
        }
        if (_secret.Length == 0)
        {
            LogNoSecret(start.CallSid);
            Count("no-secret");
            return null;
        }
        var transcript = _options.TranscriptCharacters > 0 ? new ConversationTranscript(_options.TranscriptCharacters, _time, startedAt) : null;
        return new OutboundConversation(callback, start, agent, transcript);
    }

    /// <summary>Sends the conversation once its call has ended; returns at once (delivery runs on its own).</summary>
    internal void Send(OutboundConversation conversation, CallSummary summary)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(Describe(conversation, summary), Json);
        lock (_gate)
        {
            if (_stopping)
            {
                LogAbandoned(conversation.Start.CallSid, conversation.Callback.Host);
                Count("abandoned");
                return;
            }
            Interlocked.Increment(ref _delivering);
            var delivering = Task.Run(() => DeliverAsync(conversation, body));
            _pending.Add(delivering);
            delivering.ContinueWith(done =>
            {
                lock (_gate)
                {
                    _pending.Remove(done);
                }
            }, TaskScheduler.Default);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the calls have drained: waits for callbacks under way, a bounded time, then gives up on the rest.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _pending];
        }
        if (pending.Length > 0)
        {
            LogWaiting(pending.Length, _delivery.DrainWait);
            try
            {
                await Task.WhenAll(pending).WaitAsync(_delivery.DrainWait, _time, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Given up below: each one left logs and counts itself as abandoned.
            }
        }
        lock (_gate)
        {
            _stopping = true;
            pending = [.. _pending];
        }
        await _abandon.CancelAsync();
        await Task.WhenAll(pending);
    }

    private async Task DeliverAsync(OutboundConversation conversation, byte[] body)
    {
        var callSid = conversation.Start.CallSid;
        var host = conversation.Callback.Host;
        try
        {
            var (last, attempts) = await _delivery.Client.DeliverAsync(conversation.Callback, CallConversation.EventName, body, _secret, _delivery.Retries, _time,
                (failed, attempt, delay) => LogRetrying(callSid, host, attempt, failed.Detail, delay), _abandon.Token);
            switch (last.Result)
            {
                case CallbackResult.Delivered:
                    LogDelivered(callSid, host, last.Status ?? 0, attempts, body.Length);
                    Count("delivered");
                    break;
                case CallbackResult.Refused:
                    LogRefused(callSid, host, last.Detail);
                    Count("refused");
                    break;
                default:
                    LogGaveUp(callSid, host, attempts, last.Detail);
                    Count("failed");
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            LogAbandoned(callSid, host);
            Count("abandoned");
        }
        finally
        {
            Interlocked.Decrement(ref _delivering);
        }
    }

    private CallConversation Describe(OutboundConversation conversation, CallSummary summary)
    {
        var start = conversation.Start;
        var (turns, omitted) = conversation.Transcript?.Complete() ?? ([], 0);
        return new CallConversation(
            start.CallSid,
            start.StreamSid,
            conversation.Agent,
            start.CustomParameters.GetValueOrDefault("to") ?? "",
            start.CustomParameters.GetValueOrDefault("from") ?? "",
            OutboundVariables.FromStreamParameters(start.CustomParameters),
            summary.EndReason.Tag(),
            Math.Round(summary.Duration.TotalSeconds, 1),
            summary.CallerTurns,
            summary.AssistantTurns,
            summary.Interruptions,
            conversation.Transcript is null ? null : [.. turns.Select(t => new CallConversation.Turn(t.Speaker, t.Text, t.AtSeconds, t.Interrupted))],
            omitted,
            [.. summary.Tools.Select(t => new CallConversation.ToolRun(t.Name, t.Outcome, (long)t.Latency.TotalMilliseconds))],
            new CallConversation.TokenUsage(summary.InputTokens, summary.OutputTokens),
            _time.GetUtcNow());
    }

    private void Count(string result) => _results.Add(1, new KeyValuePair<string, object?>("result", result));

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: conversation delivered to {Host} (HTTP {Status}, attempt {Attempts}, {Bytes} bytes)")]
    private partial void LogDelivered(string callSid, string host, int status, int attempts, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: the conversation callback to {Host} failed (attempt {Attempt}: {Reason}); trying again in {Delay}")]
    private partial void LogRetrying(string callSid, string host, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the conversation callback to {Host} was not delivered after {Attempts} attempts ({Reason}); given up")]
    private partial void LogGaveUp(string callSid, string host, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the conversation callback to {Host} was refused ({Reason}); not retried")]
    private partial void LogRefused(string callSid, string host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the conversation callback to {Host} was abandoned: the worker is stopping")]
    private partial void LogAbandoned(string callSid, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid} asks for a conversation callback, but Outbound:CallbackSecret is not set on this worker; none is sent")]
    private partial void LogNoSecret(string callSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: its conversation callback parameter was not sealed for this call with this auth token; none is sent")]
    private partial void LogUnreadable(string callSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: waiting up to {Wait} for {Pending} conversation callbacks under way")]
    private partial void LogWaiting(int pending, TimeSpan wait);
}
