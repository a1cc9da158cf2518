using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Bridge.Buffers;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Tracing;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging;

namespace Bridge.TwilioStandIn.Calls;

/// <summary>
/// Runs one simulated call the way Twilio handles it — an inbound call, or an outbound one once it is answered
/// (<see cref="Outbound.OutboundCalls"/>): the signed voice webhook (or the call's <c>Url</c>), the TwiML it answers
/// (followed verb by verb), the signed WebSocket of a <c>&lt;Connect&gt;&lt;Stream&gt;</c>, the stream's status
/// callbacks, and — when the socket closes while the call is up — the <c>&lt;Connect action&gt;</c> and its TwiML.
/// With <paramref name="liveCalls"/> (served by <see cref="TwilioCallsApi"/>), a REST API update ends the call or
/// stops its stream and runs the new TwiML, as Twilio does.
/// </summary>
public sealed partial class CallSimulation(HttpClient http, TimeProvider time, ILogger<CallSimulation> logger, LiveCalls? liveCalls = null)
{
    public async Task<CallSummary> RunAsync(
        CallSimulationOptions options,
        IMediaStreamObserver? observer = null,
        CancellationToken cancellationToken = default)
    {
        var call = new CallIdentity(options.AccountSid, options.CallSid ?? TwilioSid.NewCallSid(), options.From, options.To);
        if (!options.Traced)
        {
            return await RunCallAsync(call, options, observer, cancellationToken);
        }
        using var activity = CallTracing.StartCall(call);
        var summary = await RunCallAsync(call, options, observer, cancellationToken);
        CallTracing.Complete(activity, summary.Outcome, summary.Succeeded);
        return summary with { TraceId = activity.TraceId.ToHexString() };
    }

    private async Task<CallSummary> RunCallAsync(
        CallIdentity call, CallSimulationOptions options, IMediaStreamObserver? observer, CancellationToken cancellationToken)
    {
        var state = new CallState(call, new TwilioHttpClient(http, options.AuthToken, options.Routes), options.LoopbackOnly, options.Routes, options.Progress)
        {
            Direction = options.Direction,
            AnsweredBy = options.AnsweredBy,
        };
        // An outbound call is registered by whoever placed it (its status callback lives on after this simulation).
        var registeredHere = liveCalls is not null && !liveCalls.TryGet(call.CallSid, out _);
        var live = liveCalls is null ? null
            : registeredHere ? await liveCalls.RegisterAsync(call.AccountSid, call.CallSid, options.AuthToken)
            : liveCalls.TryGet(call.CallSid, out var placed) ? placed : null;

        try
        {
            if (live is { AnnouncedToSharedApi: false })
            {
                Warn(state, 0, "the stand-in serving Twilio's REST API on this machine could not be told of this call: a bridge's hang-up or transfer will not reach it");
            }
            if (options.LoopbackOnly)
            {
                CallSimulationOptions.RequireLoopback(options.Routes.Resolve(options.WebhookUrl), "the webhook");
            }

            var outbound = options.Direction != "inbound";
            var document = await FetchAsync(state, options.WebhookUrl, options.WebhookMethod, outbound ? "in-progress" : "ringing",
                outbound ? "the outbound call's Url" : "the voice webhook", cancellationToken);
            state.CallStatus = "in-progress";
            live?.Answered();
            for (var i = 0; i < document.Verbs.Count; i++)
            {
                switch (document.Verbs[i])
                {
                    case ConnectStreamVerb connect:
                        var callStillUp = await StreamAsync(state, connect.Stream, options, observer, live, cancellationToken);
                        switch (live?.TakeUpdate())
                        {
                            case CompleteCall:
                                state.CallStatus = "completed";
                                return state.Summary("ended through Twilio's REST API (Status=completed)");
                            case RedirectCall { Twiml: { } twiml }:
                                document = twiml;
                                i = -1;
                                continue;
                            case RedirectCall { Url: { } url } redirect:
                                document = await FollowAsync(state, options, url, redirect.Method, "the REST API's Url", cancellationToken);
                                i = -1;
                                continue;
                        }
                        if (!callStillUp)
                        {
                            return state.Summary("the caller hung up");
                        }
                        if (connect.Action is { } action)
                        {
                            document = await FollowAsync(state, options, action, connect.ActionMethod, "the <Connect> action", cancellationToken);
                            i = -1;
                        }
                        break;
                    case SayVerb say:
                        state.Step($"<Say> \"{say.Text}\"");
                        break;
                    case PlayVerb play:
                        state.Step($"<Play> {play.Url}");
                        break;
                    case PauseVerb pause:
                        state.Step($"<Pause> {pause.Length.TotalSeconds:0} s");
                        break;
                    case DialVerb dial:
                        state.Step($"<Dial> {dial.Target}");
                        return state.Summary($"transferred to {dial.Target} (<Dial>; the simulator does not place that call)");
                    case HangupVerb:
                        state.Step("<Hangup>");
                        return state.Summary("TwiML <Hangup>");
                    case RejectVerb:
                        state.Step("<Reject>");
                        return state.Summary("TwiML <Reject>");
                    case RedirectVerb redirect:
                        state.Step($"<Redirect> {redirect.Url}");
                        document = await FollowAsync(state, options, redirect.Url, redirect.Method, "the <Redirect>", cancellationToken);
                        i = -1;
                        break;
                    case UnsupportedVerb unsupported:
                        state.Step($"<{unsupported.Name}> (not simulated; skipped)");
                        break;
                }
            }
            return state.Summary("the TwiML ended, so Twilio hung up");
        }
        catch (TwilioCallException e)
        {
            LogCallFailed(logger, call.CallSid, e.Code, e.Detail);
            state.Error = new TwilioWarning(e.Code, e.Detail);
            return state.Summary(e.Code == 0 ? "refused" : $"Twilio error {e.Code} (a caller would hear \"An application error has occurred\")");
        }
        finally
        {
            if (liveCalls is not null && registeredHere)
            {
                await liveCalls.RemoveAsync(call.CallSid);
            }
        }
    }

    private async Task<TwimlDocument> FollowAsync(
        CallState state, CallSimulationOptions options, Uri url, HttpMethod method, string what, CancellationToken cancellationToken)
    {
        if (++state.Documents > options.MaxDocuments)
        {
            throw new TwilioCallException(0, $"more than {options.MaxDocuments} TwiML documents in one call; stopping");
        }
        if (options.LoopbackOnly)
        {
            CallSimulationOptions.RequireLoopback(options.Routes.Resolve(url), what);
        }
        return await FetchAsync(state, url, method, state.CallStatus, what, cancellationToken);
    }

    private async Task<TwimlDocument> FetchAsync(
        CallState state, Uri url, HttpMethod method, string callStatus, string what, CancellationToken cancellationToken)
    {
        var response = await state.Client.SendAsync(url, method, state.Call.VoiceParameters(callStatus, state.Direction, state.AnsweredBy), cancellationToken);
        state.Step($"{method} {url} ({what}) → {response.StatusCode}");
        LogFetched(logger, state.Call.CallSid, method.Method, url, response.StatusCode);
        if (!response.IsSuccess)
        {
            throw new TwilioCallException(TwilioErrorCodes.HttpRetrievalFailure, $"{what} answered HTTP {response.StatusCode}");
        }
        return TwimlDocument.Parse(response.Body, url);
    }

    /// <summary>Runs a &lt;Connect&gt;&lt;Stream&gt;; returns whether the call is still up afterwards.</summary>
    private async Task<bool> StreamAsync(
        CallState state,
        StreamNoun stream,
        CallSimulationOptions options,
        IMediaStreamObserver? observer,
        LiveCall? live,
        CancellationToken cancellationToken)
    {
        var streamSid = TwilioSid.NewStreamSid();
        state.StreamSid = streamSid;
        state.Step($"<Connect><Stream> {stream.Url} ({stream.Parameters.Count} parameter(s))");
        var (streamUrl, failure) = CheckStreamUrl(state, stream.Url, options);

        using var socket = new ClientWebSocket();
        // The connection is ours, so that what one 20 ms tick sends leaves in one write (see CoalescingStream).
        CoalescingStream? connection = null;
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, token) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await tcp.ConnectAsync(context.DnsEndPoint, token);
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }
                return connection = new CoalescingStream(new NetworkStream(tcp, ownsSocket: true));
            },
        });
        socket.Options.SetRequestHeader(TwilioRequestSigner.WebSocketHeaderName, TwilioRequestSigner.SignWebSocketUpgrade(options.AuthToken, stream.Url));
        socket.Options.CollectHttpResponseDetails = true;
        if (Activity.Current is { } trace)
        {
            DistributedContextPropagator.Current.Inject(trace, socket.Options, static (carrier, name, value) => ((ClientWebSocketOptions)carrier!).SetRequestHeader(name, value));
        }

        // CheckStreamUrl gives either the URL or the failure.
        failure ??= await ConnectAsync(socket, invoker, options.Routes.Resolve(streamUrl!), options.ConnectTimeout, cancellationToken);
        if (failure is not null)
        {
            LogStreamFailed(logger, state.Call.CallSid, failure.Code, failure.Problem);
            state.Error = failure;
            state.Step($"stream failed: error {failure.Code}: {failure.Problem}");
            await StatusCallbackAsync(state, stream, streamSid, "stream-error", failure.Problem);
            return true;
        }

        var start = new StreamStart(state.Call.AccountSid, state.Call.CallSid, streamSid, stream.Parameters);
        var session = new MediaStreamSession(socket, start, options.Media, time, logger, observer,
            options.Media.BatchWrites ? connection : null);
        var interruptedByApi = live?.Interrupted ?? CancellationToken.None;
        using var stopStream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interruptedByApi);
        var running = session.RunAsync(hangUp: stopStream.Token);
        await session.Started;
        LogStreamStarted(logger, state.Call.CallSid, streamSid, streamUrl!);
        await StatusCallbackAsync(state, stream, streamSid, "stream-started", null);

        var result = await running;
        state.Stream = result;
        var stoppedForUpdate = result.End == StreamEnd.CallerHungUp && interruptedByApi.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
        state.StreamStoppedByUpdate = stoppedForUpdate;
        state.Step(stoppedForUpdate
            ? "stream ended: a REST API update of the call stopped it (stop sent, socket closed)"
            : $"stream ended: {Describe(result)}");
        if (result.End == StreamEnd.ServerClosed)
        {
            Warn(state, TwilioErrorCodes.StreamClosedByServer, "the server closed the stream (Twilio's debugger logs this even when the close is intended)");
        }
        else if (result.End == StreamEnd.ConnectionLost)
        {
            Warn(state, TwilioErrorCodes.StreamBrokenPipe, $"the connection broke without a close handshake ({result.CloseDescription})");
        }
        await StatusCallbackAsync(state, stream, streamSid, "stream-stopped", null);
        if (stoppedForUpdate)
        {
            return true;
        }
        if (result.End is StreamEnd.CallerHungUp or StreamEnd.MaxDuration)
        {
            state.CallStatus = "completed";
            return false;
        }
        return true;
    }

    /// <summary>The URL to dial, or (like a failed connection) the error Twilio reports for a URL it cannot dial.</summary>
    private (Uri? Url, TwilioWarning? Failure) CheckStreamUrl(CallState state, string url, CallSimulationOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !url.Contains("://", StringComparison.Ordinal))
        {
            return (null, new TwilioWarning(TwilioErrorCodes.StreamUrlMalformed, $"the stream URL {url} is malformed"));
        }
        if (uri.Scheme is not ("ws" or "wss"))
        {
            return (null, new TwilioWarning(TwilioErrorCodes.StreamUrlNotSecure, $"the stream URL {url} is not wss:// (Twilio dials nothing else)"));
        }
        if (options.LoopbackOnly)
        {
            CallSimulationOptions.RequireLoopback(options.Routes.Resolve(uri), "the stream URL");
        }
        if (uri.Scheme == "ws")
        {
            Warn(state, TwilioErrorCodes.StreamUrlNotSecure, CallSimulationOptions.IsLoopback(uri)
                ? $"the stream URL {url} is plain ws://: expected for a bridge on this machine, and the simulator connects; real Twilio dials only wss:// on port 443, so a real number needs the bridge behind https (Bridge:PublicBaseUrl)"
                : $"the stream URL {url} is not wss://; real Twilio refuses it (the simulator goes on, for local use)");
        }
        if (uri.Scheme == "wss" && uri.Port != 443)
        {
            Warn(state, 0, $"the stream URL {url} is on port {uri.Port}; Twilio dials Media Streams on TCP port 443 only");
        }
        if (!string.IsNullOrEmpty(uri.Query))
        {
            Warn(state, 0, $"the stream URL {url} carries a query string; Twilio does not allow one (pass <Parameter>s)");
        }
        return (uri, null);
    }

    private async Task<TwilioWarning?> ConnectAsync(ClientWebSocket socket, HttpMessageInvoker invoker, Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await socket.ConnectAsync(url, invoker, linked.Token);
            return null;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return new TwilioWarning(TwilioErrorCodes.StreamConnectTimeout, $"no WebSocket connection to {url} within {timeout.TotalSeconds:0.#} s");
        }
        catch (WebSocketException e) when (socket.HttpStatusCode != 0 && socket.HttpStatusCode != HttpStatusCode.SwitchingProtocols)
        {
            return new TwilioWarning(TwilioErrorCodes.StreamHandshakeFailed, $"the WebSocket handshake answered HTTP {(int)socket.HttpStatusCode}, not 101 ({e.Message})");
        }
        catch (WebSocketException e) when (e.InnerException is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } })
        {
            return new TwilioWarning(TwilioErrorCodes.StreamConnectRefused, $"the connection to {url} was refused");
        }
        catch (WebSocketException e)
        {
            return new TwilioWarning(TwilioErrorCodes.StreamHandshakeFailed, $"the WebSocket to {url} could not be opened: {e.Message}");
        }
    }

    /// <summary>
    /// Posts a stream status callback. Never cancelled (a hang-up still reports stream-stopped; the HTTP client's
    /// timeout bounds it) and never fatal: a callback that fails is a warning, the call goes on.
    /// </summary>
    private async Task StatusCallbackAsync(CallState state, StreamNoun stream, string streamSid, string streamEvent, string? error)
    {
        if (stream.StatusCallback is not { } url)
        {
            return;
        }
        if (state.LoopbackOnly && !CallSimulationOptions.IsLoopback(state.Routes.Resolve(url)))
        {
            Warn(state, 0, $"the status callback {url} is not on this machine; not posted");
            return;
        }

        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", state.Call.AccountSid),
            new("CallSid", state.Call.CallSid),
            new("StreamSid", streamSid),
            new("StreamName", stream.Name ?? streamSid),
            new("StreamEvent", streamEvent),
            new("Timestamp", time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        ];
        if (error is not null)
        {
            form.Add(new("StreamError", error));
        }

        try
        {
            var response = await state.Client.SendAsync(url, stream.StatusCallbackMethod, form, CancellationToken.None);
            state.Step($"{stream.StatusCallbackMethod} {url} ({streamEvent}) → {response.StatusCode}");
            if (!response.IsSuccess)
            {
                Warn(state, TwilioErrorCodes.HttpRetrievalFailure, $"the stream status callback ({streamEvent}) answered HTTP {response.StatusCode}");
            }
        }
        catch (TwilioCallException e)
        {
            Warn(state, e.Code, e.Detail);
        }
    }

    private void Warn(CallState state, int code, string problem)
    {
        state.Warnings.Add(new TwilioWarning(code, problem));
        LogWarning(logger, state.Call.CallSid, code, problem);
    }

    private static string Describe(MediaStreamResult result) => result.End switch
    {
        StreamEnd.CallerHungUp => "the caller hung up (stop sent)",
        StreamEnd.MaxDuration => "the caller hung up at the maximum duration (stop sent)",
        StreamEnd.ServerClosed => $"the server closed the socket ({result.CloseStatus} {result.CloseDescription})".TrimEnd(),
        _ => $"the connection broke ({result.CloseDescription})",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: {Method} {Url} → {Status}")]
    private static partial void LogFetched(ILogger logger, string callSid, string method, Uri url, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: stream {StreamSid} started on {Url}")]
    private static partial void LogStreamStarted(ILogger logger, string callSid, string streamSid, Uri url);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallSid}: Twilio error {Code}: {Problem}")]
    private static partial void LogStreamFailed(ILogger logger, string callSid, int code, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallSid}: the call failed: error {Code}: {Problem}")]
    private static partial void LogCallFailed(ILogger logger, string callSid, int code, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: warning {Code}: {Problem}")]
    private static partial void LogWarning(ILogger logger, string callSid, int code, string problem);
}
