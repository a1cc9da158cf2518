using Bridge.Emulator.Faults;
using Bridge.Emulator.Signing;
using Bridge.Emulator.Wire;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>The emulator's verifier against what the official AWS SDK for JavaScript really sent (and was sent).</summary>
public sealed class GoldenCaptureTests
{
    private readonly GoldenCapture _golden = GoldenCapture.Load();

    [Theory]
    [InlineData("normal")]
    [InlineData("exception")]
    public void The_golden_request_signature_verifies_with_its_credentials_at_its_date(string scenario)
    {
        var verifier = Verifier();

        var ok = verifier.TryVerify(_golden.Request(scenario), _golden.RequestDate(scenario), out var seed, out var failure);

        Assert.True(ok, failure?.Message);
        Assert.EndsWith("Signature=" + seed, _golden.RequestHeaders(scenario)["authorization"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amz-sdk-invocation-id", "00000000-0000-0000-0000-000000000000")]
    [InlineData(":authority", "127.0.0.1:1")]
    [InlineData(":path", "/model/amazon.nova-2-sonic-v1%3A0/invoke-with-bidirectional-stream")]
    [InlineData("x-amz-content-sha256", "UNSIGNED-PAYLOAD")]
    [InlineData("content-type", "application/json")]
    public void A_golden_request_with_an_altered_signed_header_is_refused_as_a_signature_mismatch(string header, string value)
    {
        var ok = Verifier().TryVerify(_golden.Request("normal", new Dictionary<string, string?> { [header] = value }),
            _golden.RequestDate("normal"), out _, out var failure);

        Assert.False(ok);
        Assert.Equal(403, failure!.StatusCode);
        Assert.Equal("InvalidSignatureException", failure.ErrorType);
        Assert.StartsWith("The request signature we calculated does not match", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsigned_header_may_change_without_breaking_the_signature()
    {
        var ok = Verifier().TryVerify(_golden.Request("normal", new Dictionary<string, string?> { ["user-agent"] = "someone-else" }),
            _golden.RequestDate("normal"), out _, out var failure);

        Assert.True(ok, failure?.Message);
    }

    [Fact]
    public void The_golden_request_is_refused_with_other_credentials()
    {
        var wrongSecret = new RequestSignatureVerifier(_golden.AccessKeyId, "not-the-secret", _golden.Region, TimeSpan.FromMinutes(5));
        var wrongKey = new RequestSignatureVerifier("AKIDOTHER", _golden.SecretAccessKey, _golden.Region, TimeSpan.FromMinutes(5));

        Assert.False(wrongSecret.TryVerify(_golden.Request("normal"), _golden.RequestDate("normal"), out _, out var mismatch));
        Assert.Equal("InvalidSignatureException", mismatch!.ErrorType);
        Assert.False(wrongKey.TryVerify(_golden.Request("normal"), _golden.RequestDate("normal"), out _, out var unknown));
        Assert.Equal("UnrecognizedClientException", unknown!.ErrorType);
    }

    [Fact]
    public void The_golden_request_is_refused_outside_the_allowed_clock_skew()
    {
        var late = _golden.RequestDate("normal").AddMinutes(6);
        var early = _golden.RequestDate("normal").AddMinutes(-6);

        Assert.False(Verifier().TryVerify(_golden.Request("normal"), late, out _, out var expired));
        Assert.StartsWith("Signature expired: 20260115T120000Z is now earlier than", expired!.Message, StringComparison.Ordinal);
        Assert.False(Verifier().TryVerify(_golden.Request("normal"), early, out _, out var notYet));
        Assert.StartsWith("Signature not yet current", notYet!.Message, StringComparison.Ordinal);
        Assert.True(Verifier().TryVerify(_golden.Request("normal"), _golden.RequestDate("normal").AddMinutes(4), out _, out _));
    }

    [Fact]
    public void A_golden_request_without_authorization_is_refused_as_missing_a_token()
    {
        Assert.False(Verifier().TryVerify(_golden.Request("normal", new Dictionary<string, string?> { ["authorization"] = null }),
            _golden.RequestDate("normal"), out _, out var failure));
        Assert.Equal(("MissingAuthenticationTokenException", 403), (failure!.ErrorType, failure.StatusCode));
    }

    [Fact]
    public void Every_golden_chunk_signature_verifies_in_order_from_the_request_signature()
    {
        var chain = Chain();
        var frames = _golden.Frames("normal");

        foreach (var bytes in frames)
        {
            var frame = EventStreamReader.DecodeSigned(bytes);
            Assert.True(chain.Verify(frame.Date, frame.Signature, frame.Payload), $"frame {frames.IndexOf(bytes)} does not verify");
        }

        Assert.True(EventStreamReader.DecodeSigned(frames[^1]).IsEndOfInput);
    }

    [Fact]
    public void The_golden_frames_carry_the_recorded_event_json()
    {
        var frames = _golden.Frames("normal");
        var expected = _golden.FrameEventJson("normal");

        for (var i = 0; i < frames.Count - 1; i++)
        {
            var json = EventStreamReader.DecodeEventJson(EventStreamReader.DecodeSigned(frames[i]).Payload);
            Assert.Equal(expected[i], System.Text.Encoding.UTF8.GetString(json));
        }
    }

    [Fact]
    public void A_golden_frame_with_one_payload_byte_changed_is_refused_and_the_chain_stays_put()
    {
        var chain = Chain();
        var first = EventStreamReader.DecodeSigned(_golden.Frames("normal")[0]);
        var tampered = (byte[])first.Payload.Clone();
        tampered[^5] ^= 0x01;

        Assert.False(chain.Verify(first.Date, first.Signature, tampered));
        Assert.True(chain.Verify(first.Date, first.Signature, first.Payload));
    }

    [Fact]
    public void Golden_frames_out_of_order_are_refused()
    {
        var chain = Chain();
        var second = EventStreamReader.DecodeSigned(_golden.Frames("normal")[1]);

        Assert.False(chain.Verify(second.Date, second.Signature, second.Payload));
    }

    [Fact]
    public void A_golden_frame_with_its_date_moved_is_refused()
    {
        var chain = Chain();
        var first = EventStreamReader.DecodeSigned(_golden.Frames("normal")[0]);

        Assert.False(chain.Verify(first.Date.AddMilliseconds(1), first.Signature, first.Payload));
    }

    [Fact]
    public void A_golden_frame_with_a_corrupt_crc_cannot_be_decoded()
    {
        var bytes = _golden.Frames("normal")[0];
        bytes[^1] ^= 0xFF;

        Assert.Throws<FrameDecodeException>(() => EventStreamReader.DecodeSigned(bytes));
    }

    [Fact]
    public void The_emulator_writes_event_frames_byte_for_byte_as_the_capture_server_did()
    {
        var chunks = _golden.ReceivedChunks("normal");
        var frames = _golden.ResponseFrames("normal");

        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(Convert.ToHexString(frames[i]), Convert.ToHexString(OutputFrames.Chunk(System.Text.Encoding.UTF8.GetBytes(chunks[i]))));
        }
    }

    [Fact]
    public void The_emulator_writes_a_validation_exception_frame_byte_for_byte_as_the_capture_server_did()
    {
        var error = _golden.Error("exception");

        var frame = OutputFrames.Exception(ExceptionTypes.Validation, error.GetProperty("message").GetString()!);

        Assert.Equal(Convert.ToHexString(_golden.ResponseFrames("exception")[1]), Convert.ToHexString(frame));
    }

    private RequestSignatureVerifier Verifier() =>
        new(_golden.AccessKeyId, _golden.SecretAccessKey, _golden.Region, TimeSpan.FromMinutes(5));

    private ChunkSignatureVerifier Chain()
    {
        var authorization = _golden.RequestHeaders("normal")["authorization"];
        var seed = authorization[(authorization.IndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..];
        return new ChunkSignatureVerifier(_golden.SecretAccessKey, _golden.Region, seed);
    }
}
