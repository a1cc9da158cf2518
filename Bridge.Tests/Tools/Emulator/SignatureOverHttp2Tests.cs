using System.Net;
using System.Text.Json;
using Bridge.Emulator.Faults;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>SigV4 over a real HTTP/2 (h2c) connection: refusals as AWS answers them.</summary>
public sealed class SignatureOverHttp2Tests
{
    [Fact]
    public async Task A_correctly_signed_request_opens_a_stream_and_counts_it()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal(new Version(2, 0), stream.Response.Version);
        Assert.Equal("application/vnd.amazon.eventstream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, emulator.Counters.StreamsOpened);
        Assert.Equal(1, emulator.Counters.OpenStreams);
    }

    [Fact]
    public async Task A_forged_request_signature_is_refused_with_403_and_an_aws_error_body()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator, tamperSignature: s => (s[0] == '0' ? "1" : "0") + s[1..]);

        Assert.Equal(HttpStatusCode.Forbidden, stream.Response.StatusCode);
        Assert.Equal("InvalidSignatureException", stream.Response.Headers.GetValues("x-amzn-ErrorType").Single());
        var body = JsonDocument.Parse(await stream.Response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("The request signature we calculated does not match", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, emulator.Counters.StreamsOpened);
        Assert.Equal(1, emulator.Counters.RequestsRefused);
    }

    [Fact]
    public async Task A_request_signed_with_another_secret_is_refused_with_403()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var credentials = TestCredentials.EmulatorDefault with { SecretAccessKey = "guessed" };
        await using var stream = await TestStream.OpenAsync(emulator, credentials: credentials);

        Assert.Equal(HttpStatusCode.Forbidden, stream.Response.StatusCode);
        Assert.Equal("InvalidSignatureException", stream.Response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task A_request_with_an_unknown_access_key_is_refused_as_an_unrecognized_client()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var credentials = TestCredentials.EmulatorDefault with { AccessKeyId = "AKIAUNKNOWN000000000" };
        await using var stream = await TestStream.OpenAsync(emulator, credentials: credentials);

        Assert.Equal(HttpStatusCode.Forbidden, stream.Response.StatusCode);
        Assert.Equal("UnrecognizedClientException", stream.Response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task A_request_signed_beyond_the_allowed_clock_skew_is_refused()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.AllowedClockSkew = TimeSpan.FromMinutes(2));
        await using var stale = await TestStream.OpenAsync(emulator, signedAt: DateTime.UtcNow.AddMinutes(-3));
        await using var fresh = await TestStream.OpenAsync(emulator, signedAt: DateTime.UtcNow.AddMinutes(-1));

        Assert.Equal(HttpStatusCode.Forbidden, stale.Response.StatusCode);
        Assert.Contains("Signature expired", await stale.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fresh.Response.StatusCode);
    }

    [Fact]
    public async Task A_forged_chunk_signature_ends_the_stream_with_an_exception_frame()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAsync(TestEvents.SessionStart());
        var frame = await stream.SignedFrameAsync(TestEvents.InnerMessage(TestEvents.PromptStart()));
        var forged = ForgeSignature(frame);

        await stream.SendRawAsync(forged);
        var frames = await stream.ReadToEndAsync();

        var exception = Assert.Single(frames);
        Assert.Equal(ExceptionTypes.Validation, exception.ExceptionType);
        Assert.StartsWith("The request signature we calculated does not match", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, emulator.Counters.ExceptionsSent);
    }

    [Fact]
    public async Task A_frame_signed_out_of_chain_order_is_refused()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        var first = await stream.SignedFrameAsync(TestEvents.InnerMessage(TestEvents.SessionStart()));
        var second = await stream.SignedFrameAsync(TestEvents.InnerMessage(TestEvents.PromptStart()));

        await stream.SendRawAsync(second);
        await stream.SendRawAsync(first);
        var frames = await stream.ReadToEndAsync();

        Assert.Equal(ExceptionTypes.Validation, Assert.Single(frames).ExceptionType);
    }

    /// <summary>Re-encodes a signed frame with one bit of its :chunk-signature flipped (and valid CRCs).</summary>
    private static byte[] ForgeSignature(byte[] frame)
    {
        var message = Amazon.Runtime.EventStreams.EventStreamMessage.FromBuffer(frame, 0, frame.Length);
        var signature = message.Headers[":chunk-signature"].AsByteBuf();
        signature[0] ^= 0x01;
        var forged = new Amazon.Runtime.EventStreams.EventStreamHeader(":chunk-signature");
        forged.SetByteBuf(signature);
        return new Amazon.Runtime.EventStreams.EventStreamMessage([message.Headers[":date"], forged], message.Payload).ToByteArray();
    }
}
