using System.Buffers;
using Bridge.Emulator.Agent;
using Bridge.Emulator.Faults;
using Bridge.Emulator.Nova;
using Bridge.Emulator.Signing;
using Bridge.Emulator.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bridge.Emulator.Hosting;

/// <summary>
/// One <c>POST /model/{modelId}/invoke-with-bidirectional-stream</c>: checks the request's SigV4, applies the
/// faults asked for, then reads signed input frames (each verified against the chain) into the protocol
/// validator and the emulated model, while a writer sends the model's output frames.
/// </summary>
internal sealed class BidiStreamHandler(
    EmulatorOptions options,
    TimeProvider time,
    EmulatorCounters counters,
    FaultInjector injector,
    ReceivedPrompts prompts,
    IHostApplicationLifetime lifetime,
    ILogger<BidiStreamHandler> logger)
{
    private const int ResetInternalError = 2;
    private readonly FaultPlan _defaultFaults = FaultPlan.Parse(options.Faults);
    private readonly RequestSignatureVerifier _verifier =
        new(options.AccessKeyId, options.SecretAccessKey, options.Region, options.AllowedClockSkew);

    public async Task HandleAsync(HttpContext context, string modelId)
    {
        if (!_verifier.TryVerify(ToVerify(context), time.GetUtcNow(), out var seed, out var failure))
        {
            await RefuseAsync(context, failure.StatusCode, failure.ErrorType, failure.Message);
            return;
        }

        if (!HttpProtocol.IsHttp2(context.Request.Protocol))
        {
            await RefuseAsync(context, 400, "ValidationException", "InvokeModelWithBidirectionalStream needs HTTP/2.");
            return;
        }

        if (context.Request.Headers["x-amz-content-sha256"] != RequestSignatureVerifier.StreamingPayload)
        {
            await RefuseAsync(context, 400, "ValidationException", $"x-amz-content-sha256 must be {RequestSignatureVerifier.StreamingPayload} for an event stream.");
            return;
        }

        if (!ModelIds.IsSupported(modelId))
        {
            await RefuseAsync(context, 400, "ValidationException", "The provided model identifier is invalid.");
            return;
        }

        if (!FaultPlan.TryParse(context.Request.Headers[EmulatorDefaults.FaultHeader], out var headerFaults, out var faultError))
        {
            await RefuseAsync(context, 400, "ValidationException", $"{EmulatorDefaults.FaultHeader} {faultError}");
            return;
        }

        var plan = _defaultFaults.With(injector.TakeNext()).With(headerFaults);
        if (plan.Has(FaultKind.Throttle))
        {
            await RefuseAsync(context, 429, "ThrottlingException", ExceptionTypes.ThrottlingMessage);
            return;
        }

        await RunStreamAsync(context, modelId, seed, plan);
    }

    private async Task RunStreamAsync(HttpContext context, string modelId, string seedSignature, FaultPlan plan)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/vnd.amazon.eventstream";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);

        counters.StreamOpened();
        var streamNumber = counters.StreamsOpened;
        Log.StreamOpened(logger, streamNumber, modelId, plan.IsEmpty ? "none" : plan.ToString());
        // Streams end when the emulator stops, so that stopping never waits for clients to hang up.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var output = new OutputChannel();
        var stream = new StreamState(streamNumber, output, plan);
        long framesIn = 0, framesOut = 0;
        try
        {
            ScheduleTimedFaults(stream, stop.Token);
            RunAfter(options.SessionLimit, stop.Token, () =>
                Fail(stream, ExceptionTypes.ModelTimeout, ExceptionTypes.ModelTimeoutMessage, "the session limit was reached"));
            FireCountedFaults(stream, inputEvents: 0);

            var reading = ReadInputAsync(context, stream, seedSignature, stop.Token);
            framesOut = await WriteOutputAsync(context, stream, stop.Token);
            await stop.CancelAsync();
            framesIn = await reading;
        }
        finally
        {
            counters.StreamClosed();
            Log.StreamEnded(logger, streamNumber, framesIn, framesOut);
        }
    }

    private async Task<long> ReadInputAsync(HttpContext context, StreamState stream, string seedSignature, CancellationToken cancellationToken)
    {
        var reader = new EventStreamReader(context.Request.BodyReader);
        using var chain = new ChunkSignatureVerifier(options.SecretAccessKey, options.Region, seedSignature);
        var input = new InputReading(chain, new InputEventReader(), new ProtocolValidator());
        var model = new EmulatedModel(stream.Output, options, time, input.Validator);
        var received = prompts.StreamOpened();
        long frames = 0;
        var events = 0;
        try
        {
            while (await reader.ReadMessageAsync(cancellationToken) is { } message)
            {
                frames++;
                counters.FrameReceived();
                var inputEvent = input.Read(message.Span, time.GetUtcNow(), options.AllowedClockSkew, out var failure);
                if (failure is { } refused)
                {
                    Fail(stream, ExceptionTypes.Validation, refused.Message, refused.Reason(frames));
                    return frames;
                }

                if (inputEvent is null)
                {
                    break; // the end of the input
                }

                received.Observe(inputEvent);
                await model.OnEventAsync(inputEvent);
                FireCountedFaults(stream, ++events);
            }
        }
        catch (FrameDecodeException e)
        {
            Fail(stream, ExceptionTypes.Validation, ExceptionTypes.ValidationMessage, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The client went away mid-frame: there is nobody left to answer.
        }
        finally
        {
            // The model stops first, so that nothing it says lands after the end; then the output ends (unless a
            // failure already ended it with an exception frame).
            await model.DisposeAsync();
            stream.Output.Complete();
        }

        return frames;
    }

    private async Task<long> WriteOutputAsync(HttpContext context, StreamState stream, CancellationToken cancellationToken)
    {
        var slow = stream.Plan.Faults.FirstOrDefault(f => f.Kind == FaultKind.SlowOutput);
        var body = context.Response.BodyWriter;
        var items = stream.Output.Reader;
        long frames = 0;
        try
        {
            while (await items.WaitToReadAsync(cancellationToken))
            {
                // Whatever is waiting goes out in one flush (one HTTP/2 DATA write instead of one per frame); a slow
                // output fault delays and flushes every frame on its own, as before.
                while (items.TryRead(out var item))
                {
                    if (item.Kind == OutputItemKind.Reset)
                    {
                        await body.FlushAsync(cancellationToken);
                        counters.StreamReset();
                        context.Features.Get<IHttpResetFeature>()?.Reset(ResetInternalError);
                        return frames;
                    }

                    var bytes = item.Bytes!;
                    if (stream.Output.TakeCorruptFrame())
                    {
                        bytes = OutputFrames.WithCorruptCrc(bytes);
                    }

                    if (slow is not null)
                    {
                        await Task.Delay(slow.Delay, time, cancellationToken);
                        await body.WriteAsync(bytes, cancellationToken);
                    }
                    else
                    {
                        body.Write(bytes);
                    }

                    frames++;
                    counters.FrameSent();
                    if (item.Kind == OutputItemKind.Exception)
                    {
                        counters.ExceptionSent();
                    }
                }

                await body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
        }

        return frames;
    }

    private void FireCountedFaults(StreamState stream, int inputEvents)
    {
        foreach (var fault in stream.Plan.Faults)
        {
            if (fault.AfterTime is null && fault.AfterInputEvents == inputEvents)
            {
                Fire(stream, fault);
            }
        }
    }

    private void ScheduleTimedFaults(StreamState stream, CancellationToken cancellationToken)
    {
        foreach (var fault in stream.Plan.Faults)
        {
            if (fault.AfterTime is { } after)
            {
                RunAfter(after, cancellationToken, () => Fire(stream, fault));
            }
        }
    }

    private void Fire(StreamState stream, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Exception:
                Log.FaultInjected(logger, stream.Number, fault.ExceptionType);
                Fail(stream, fault.ExceptionType, fault.Message ?? ExceptionTypes.DefaultMessage(fault.ExceptionType), "injected fault");
                break;
            case FaultKind.Reset:
                Log.FaultInjected(logger, stream.Number, "reset");
                stream.Output.Reset();
                break;
            case FaultKind.CorruptCrc:
                Log.FaultInjected(logger, stream.Number, "corrupt-crc");
                stream.Output.CorruptNextFrame();
                break;
        }
    }

    private void Fail(StreamState stream, string exceptionType, string message, string reason)
    {
        if (stream.Output.Fail(exceptionType, message))
        {
            Log.StreamFailed(logger, stream.Number, exceptionType, reason);
        }
    }

    private void RunAfter(TimeSpan delay, CancellationToken cancellationToken, Action action) =>
        _ = Task.Delay(delay, time, cancellationToken).ContinueWith(
            _ => action(), cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private async Task RefuseAsync(HttpContext context, int statusCode, string errorType, string message)
    {
        counters.RequestRefused();
        Log.RequestRefused(logger, statusCode, errorType, message);
        await AwsErrorResponse.WriteAsync(context, statusCode, errorType, message);
    }

    private static RequestToVerify ToVerify(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var question = rawTarget.IndexOf('?');
        var headers = context.Request.Headers;
        return new RequestToVerify(
            context.Request.Method,
            question < 0 ? rawTarget : rawTarget[..question],
            question < 0 ? "" : rawTarget[(question + 1)..],
            context.Request.Host.Value ?? "",
            name => headers.TryGetValue(name, out var values) ? values.ToString() : null);
    }

    private sealed record StreamState(long Number, OutputChannel Output, FaultPlan Plan);
}
