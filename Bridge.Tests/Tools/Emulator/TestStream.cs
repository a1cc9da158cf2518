using System.Buffers.Binary;
using System.Net;
using Amazon.Runtime.Internal.Auth;
using Bridge.Emulator;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>
/// A minimal signing client for the emulator's stream: opens the HTTP/2 request (h2c prior knowledge) signed by
/// <see cref="TestRequestSigner"/>, signs every event with AWSSDK.Core's <see cref="AWS4EventSigner"/>, reads frames.
/// </summary>
internal sealed class TestStream : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    private readonly HttpClient _client;
    private readonly DuplexContent _content;
    private readonly AWS4EventSigner _eventSigner;
    private readonly Stream? _body;

    private TestStream(HttpClient client, DuplexContent content, HttpResponseMessage response, Stream? body, AWS4EventSigner signer)
    {
        _client = client;
        _content = content;
        Response = response;
        _body = body;
        _eventSigner = signer;
    }

    public HttpResponseMessage Response { get; }

    public static async Task<TestStream> OpenAsync(EmulatorServer server, string? faults = null, TestCredentials? credentials = null,
        DateTime? signedAt = null, string modelId = "amazon.nova-2-sonic-v1:0", Func<string, string>? tamperSignature = null,
        SocketsHttpHandler? handler = null)
    {
        credentials ??= TestCredentials.EmulatorDefault;
        var client = new HttpClient(handler ?? new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        var content = new DuplexContent();
        var request = new HttpRequestMessage(HttpMethod.Post, server.StreamUri(modelId))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        if (faults is not null)
        {
            request.Headers.TryAddWithoutValidation(EmulatorDefaults.FaultHeader, faults);
        }

        var signature = TestRequestSigner.Sign(request, credentials, signedAt ?? DateTime.UtcNow);
        if (tamperSignature is not null)
        {
            var authorization = request.Headers.GetValues("Authorization").Single();
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", authorization.Replace(signature, tamperSignature(signature), StringComparison.Ordinal));
        }

        using var timeout = new CancellationTokenSource(DefaultWait);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var body = response.IsSuccessStatusCode ? await response.Content.ReadAsStreamAsync() : null;
        var signer = new AWS4EventSigner(credentials.SecretAccessKey, credentials.Region, "bedrock", signature);
        return new TestStream(client, content, response, body, signer);
    }

    /// <summary>Signs and sends one Nova event (its full JSON, <c>{"event":{...}}</c>).</summary>
    public async Task SendAsync(string eventJson) => await _content.WriteAsync(await SignedFrameAsync(TestEvents.InnerMessage(eventJson)));

    public async Task SendAllAsync(IEnumerable<string> events)
    {
        foreach (var e in events)
        {
            await SendAsync(e);
        }
    }

    /// <summary>The signed frame with an empty payload that ends the input, then the end of the request body.</summary>
    public async Task EndInputAsync()
    {
        await _content.WriteAsync(await SignedFrameAsync([]));
        _content.Complete();
    }

    public Task<byte[]> SignedFrameAsync(byte[] payload) => _eventSigner.SignEventAsync(payload);

    public ValueTask SendRawAsync(byte[] frame) => _content.WriteAsync(frame);

    /// <summary>The next raw response message, or null at the end of the response.</summary>
    public async Task<byte[]?> ReadRawAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        var prelude = new byte[4];
        var read = await ReadFullyAsync(prelude, timeout.Token);
        if (read == 0)
        {
            return null;
        }

        Assert.Equal(4, read);
        var total = BinaryPrimitives.ReadInt32BigEndian(prelude);
        var message = new byte[total];
        prelude.CopyTo(message, 0);
        Assert.Equal(total - 4, await ReadFullyAsync(message.AsMemory(4), timeout.Token));
        return message;
    }

    public async Task<ResponseFrame?> ReadAsync(TimeSpan? wait = null) =>
        await ReadRawAsync(wait) is { } message ? ResponseFrame.Decode(message) : null;

    /// <summary>Reads frames until one matches (returned) or the response ends (fails).</summary>
    public async Task<ResponseFrame> ReadUntilAsync(Func<ResponseFrame, bool> match, List<ResponseFrame>? seen = null, TimeSpan? wait = null)
    {
        seen ??= [];
        var from = seen.Count;
        while (true)
        {
            ResponseFrame? frame;
            try
            {
                frame = await ReadAsync(wait);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"No expected frame in time; after {seen.Count - from} frames: " +
                    string.Join(" | ", seen.Skip(from).TakeLast(8).Select(f => f.IsException ? f.ExceptionType : f.EventName)));
            }

            if (frame is null)
            {
                throw new Xunit.Sdk.XunitException("The response ended before the expected frame.");
            }

            seen.Add(frame);
            if (match(frame))
            {
                return frame;
            }
        }
    }

    /// <summary>Every remaining frame until the response ends.</summary>
    public async Task<List<ResponseFrame>> ReadToEndAsync(TimeSpan? wait = null)
    {
        var frames = new List<ResponseFrame>();
        while (await ReadAsync(wait) is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    public async ValueTask DisposeAsync()
    {
        _content.Complete();
        Response.Dispose();
        _client.Dispose();
        if (_body is not null)
        {
            await _body.DisposeAsync();
        }
    }

    private async Task<int> ReadFullyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await _body!.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
