using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Bridge.Bedrock;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.Bedrock;

public sealed class BedrockEventStreamClientTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_http_endpoint_is_reached_over_http2_cleartext_with_a_signed_request_and_signed_frames()
    {
        var seen = new TaskCompletionSource<(string Protocol, string Target, IHeaderDictionary Headers, int Frames, bool LastEmpty)>();
        await using var server = await ScriptedHttp2Server.StartAsync(async context =>
        {
            await context.Response.StartAsync();
            // Kestrel holds HTTP/2 response headers back until the body is flushed.
            await context.Response.Body.FlushAsync();
            var frames = 0;
            var lastEmpty = false;
            await foreach (var message in ScriptedHttp2Server.ReadMessagesAsync(context.Request.Body))
            {
                frames++;
                lastEmpty = message.Payload.Length == 0 && message.Headers[":chunk-signature"].AsByteBuf().Length == 32;
            }
            seen.TrySetResult((context.Request.Protocol, context.Features.Get<IHttpRequestFeature>()!.RawTarget, context.Request.Headers, frames, lastEmpty));
        });
        await using var stream = await Client(server).OpenAsync("amazon.nova-2-sonic-v1:0", CancellationToken.None);

        await stream.ResponseStarted.WaitAsync(Wait);
        Assert.True(stream.Send("""{"event":{"sessionEnd":{}}}"""u8));
        stream.CompleteInput();
        var request = await seen.Task.WaitAsync(Wait);

        Assert.Equal("HTTP/2", request.Protocol);
        Assert.Equal("/model/amazon.nova-2-sonic-v1%3A0/invoke-with-bidirectional-stream", request.Target);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/", request.Headers.Authorization.ToString());
        Assert.Contains("/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,",
            request.Headers.Authorization.ToString());
        Assert.Equal("STREAMING-AWS4-HMAC-SHA256-EVENTS", request.Headers["x-amz-content-sha256"].ToString());
        Assert.Equal("application/vnd.amazon.eventstream", request.Headers.ContentType.ToString());
        Assert.Equal(2, request.Frames);
        Assert.True(request.LastEmpty);
    }

    [Fact]
    public async Task Responses_arrive_while_the_input_is_still_open_and_the_input_stays_open_through_silence()
    {
        var inputEnded = new TaskCompletionSource();
        await using var server = await ScriptedHttp2Server.StartAsync(async context =>
        {
            await context.Response.StartAsync();
            await foreach (var _ in ScriptedHttp2Server.ReadMessagesAsync(context.Request.Body))
            {
                await context.Response.Body.WriteAsync(ScriptedHttp2Server.ChunkFrame("""{"event":{"completionStart":{}}}"""));
                await context.Response.Body.FlushAsync();
            }
            inputEnded.TrySetResult();
        });
        await using var stream = await Client(server).OpenAsync("amazon.nova-2-sonic-v1:0", CancellationToken.None);

        stream.Send("""{"event":{"sessionStart":{}}}"""u8);
        var chunk = await stream.Chunks.ReadAsync().AsTask().WaitAsync(Wait);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal("""{"event":{"completionStart":{}}}""", Encoding.UTF8.GetString(chunk.Payload.Span));
        Assert.False(inputEnded.Task.IsCompleted, "the input ended during a silence");
        Assert.True(stream.IsInputOpen);
        stream.CompleteInput();
        await inputEnded.Task.WaitAsync(Wait);
    }

    [Fact]
    public async Task While_the_model_is_silent_the_stream_holds_no_read_buffer()
    {
        await using var server = await ScriptedHttp2Server.StartAsync(async context =>
        {
            await context.Response.StartAsync();
            await context.Response.Body.WriteAsync(ScriptedHttp2Server.ChunkFrame("""{"event":{"completionStart":{}}}"""));
            await context.Response.Body.FlushAsync();
            await foreach (var _ in ScriptedHttp2Server.ReadMessagesAsync(context.Request.Body))
            {
            }
        });
        await using var stream = await Client(server).OpenAsync("amazon.nova-2-sonic-v1:0", CancellationToken.None);

        await stream.Chunks.ReadAsync().AsTask().WaitAsync(Wait);
        // The response is open and nothing more comes: the read waits with a zero-byte read, not in a rented buffer
        // (a stream that could not wait so would be back in a buffer by now).
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.False(stream.HoldsReadBuffer);
        stream.CompleteInput();
    }

    [Theory]
    [InlineData(403, "AccessDeniedException", false)]
    [InlineData(400, "ValidationException", false)]
    [InlineData(429, "ThrottlingException", true)]
    [InlineData(503, "ServiceUnavailableException", true)]
    public async Task An_http_error_is_typed_with_whether_a_retry_can_help(int status, string errorType, bool retryable)
    {
        await using var server = await ScriptedHttp2Server.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers["x-amzn-errortype"] = errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
            await context.Response.WriteAsync("""{"message":"no"}""");
        });
        var telemetry = new BedrockTelemetry();
        var recorded = new List<(long Value, string? Type, bool? Retryable)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == telemetry.Meter && instrument.Name == "bridge.bedrock.stream.errors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tagList = tags.ToArray();
            recorded.Add((value, tagList.First(t => t.Key == "error.type").Value as string, tagList.First(t => t.Key == "retryable").Value as bool?));
        });
        listener.Start();
        await using var stream = await Client(server, telemetry).OpenAsync("amazon.nova-2-sonic-v1:0", CancellationToken.None);

        var error = await Assert.ThrowsAnyAsync<BedrockStreamException>(() => stream.ResponseStarted.WaitAsync(Wait));

        Assert.Equal([(1L, (string?)errorType, (bool?)retryable)], recorded);
        Assert.Equal(errorType, error.ErrorType);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.Equal("no", error.ServiceMessage);
    }

    [Fact]
    public async Task An_exception_inside_the_stream_faults_the_chunks_with_its_type()
    {
        await using var server = await ScriptedHttp2Server.StartAsync(async context =>
        {
            await context.Response.Body.WriteAsync(ScriptedHttp2Server.ChunkFrame("""{"event":{"completionStart":{}}}"""));
            await context.Response.Body.WriteAsync(ScriptedHttp2Server.ExceptionFrame("modelStreamErrorException", "System instability detected. Please retry your request."));
        });
        await using var stream = await Client(server).OpenAsync("amazon.nova-2-sonic-v1:0", CancellationToken.None);

        var received = 0;
        var error = await Assert.ThrowsAsync<BedrockTransientException>(async () =>
        {
            await foreach (var _ in stream.Chunks.ReadAllAsync().WithCancellation(new CancellationTokenSource(Wait).Token))
            {
                received++;
            }
        });

        Assert.Equal(1, received);
        Assert.Equal("modelStreamErrorException", error.ErrorType);
    }

    [Fact]
    public async Task A_reader_that_falls_behind_holds_the_response_back_and_then_gets_every_chunk_in_order()
    {
        const int chunks = 100;
        static string Event(int i) => "{\"event\":{\"audioOutput\":{\"content\":\"" + i.ToString("D4", CultureInfo.InvariantCulture) + new string('A', 3_980) + "\"}}}";
        var eventBytes = Encoding.UTF8.GetByteCount(Event(0));
        await using var server = await ScriptedHttp2Server.StartAsync(async context =>
        {
            for (var i = 0; i < chunks; i++)
            {
                await context.Response.Body.WriteAsync(ScriptedHttp2Server.ChunkFrame(Event(i)));
            }
        });
        await using var stream = await Client(server).OpenAsync("amazon.nova-2-sonic-v1:0", CancellationToken.None);

        // Nobody reads: the stream queues what fits in its bound and reads the response no further.
        var fits = BedrockEventStream.ResponseQueueBytes / eventBytes;
        using (var timeout = new CancellationTokenSource(Wait))
        {
            while (stream.Chunks.Count < fits)
            {
                await Task.Delay(1, timeout.Token);
            }
        }
        Assert.Equal(fits, stream.Chunks.Count);

        var received = new List<string>();
        await foreach (var chunk in stream.Chunks.ReadAllAsync().WithCancellation(new CancellationTokenSource(Wait).Token))
        {
            Assert.True(stream.Chunks.Count <= fits, $"{stream.Chunks.Count} chunks queued");
            received.Add(Encoding.UTF8.GetString(chunk.Payload.Span));
        }

        Assert.Equal(Enumerable.Range(0, chunks).Select(Event), received);
    }

    [Fact]
    public async Task A_stream_whose_events_are_not_taken_fails_as_retryable_and_stops_queueing()
    {
        var stallTimeout = TimeSpan.FromMilliseconds(300);
        var requestArrived = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await using var server = await ScriptedHttp2Server.StartAsync(async context =>
        {
            // Answers, then never reads the request body: HTTP/2 flow control stops the client's writes.
            await context.Response.StartAsync();
            await context.Response.Body.FlushAsync();
            requestArrived.TrySetResult();
            await release.Task;
        });
        await using var stream = await Client(server, inputStallTimeout: stallTimeout).OpenAsync("amazon.nova-2-sonic-v1:0", CancellationToken.None);
        await stream.ResponseStarted.WaitAsync(Wait);
        await requestArrived.Task.WaitAsync(Wait);
        var bigEvent = Encoding.UTF8.GetBytes("""{"event":{"audioInput":{"content":"PAD"}}}""".Replace("PAD", new string('A', 32 * 1024), StringComparison.Ordinal));

        var sent = 0;
        var deadline = DateTime.UtcNow + Wait;
        while (stream.Send(bigEvent) && DateTime.UtcNow < deadline)
        {
            sent++;
            await Task.Delay(20);
        }

        var error = await Assert.ThrowsAsync<BedrockTransientException>(async () =>
        {
            await foreach (var _ in stream.Chunks.ReadAllAsync().WithCancellation(new CancellationTokenSource(Wait).Token))
            {
            }
        });
        release.TrySetResult();
        Assert.Equal("inputStalled", error.ErrorType);
        Assert.True(sent > 10, $"only {sent} events were sent before the stall was called");
        Assert.False(stream.IsInputOpen);
        Assert.False(stream.Send(bigEvent));
    }

    [Fact]
    public async Task A_pause_in_sending_is_not_a_stall()
    {
        var stallTimeout = TimeSpan.FromMilliseconds(200);
        var received = 0;
        await using var server = await ScriptedHttp2Server.StartAsync(async context =>
        {
            await context.Response.StartAsync();
            await context.Response.Body.FlushAsync();
            await foreach (var _ in ScriptedHttp2Server.ReadMessagesAsync(context.Request.Body))
            {
                Interlocked.Increment(ref received);
            }
        });
        await using var stream = await Client(server, inputStallTimeout: stallTimeout).OpenAsync("amazon.nova-2-sonic-v1:0", CancellationToken.None);
        await stream.ResponseStarted.WaitAsync(Wait);

        Assert.True(stream.Send("""{"event":{"sessionStart":{}}}"""u8));
        await Task.Delay(stallTimeout * 4);
        Assert.True(stream.Send("""{"event":{"sessionEnd":{}}}"""u8));
        Assert.True(stream.Send("""{"event":{"sessionEnd":{}}}"""u8));
        stream.CompleteInput();
        await stream.Completion.WaitAsync(Wait);

        Assert.Equal(4, Volatile.Read(ref received));
    }

    private static BedrockEventStreamClient Client(ScriptedHttp2Server server, BedrockTelemetry? telemetry = null, TimeSpan? inputStallTimeout = null) => new(
        new HttpMessageInvoker(BedrockHttp.CreateHandler()),
        new StaticCredentialSource(new ImmutableCredentials("AKIDTEST", "secret", null)),
        new BedrockOptions { Region = "us-east-1", Endpoint = server.BaseAddress, InputStallTimeout = inputStallTimeout ?? TimeSpan.FromSeconds(5) },
        _ => null,
        TimeProvider.System,
        NullLoggerFactory.Instance,
        telemetry);
}
