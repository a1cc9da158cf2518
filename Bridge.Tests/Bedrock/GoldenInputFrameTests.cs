using System.Text;
using Amazon.Runtime.EventStreams;
using Bridge.Bedrock;

namespace Bridge.Tests.Bedrock;

public sealed class GoldenInputFrameTests
{
    private static readonly GoldenCapture Capture = GoldenCapture.Instance;

    public static TheoryData<int> FrameIndexes() => new(Enumerable.Range(0, GoldenCapture.Frames(Capture.Scenario("normal")).Count));

    [Theory]
    [MemberData(nameof(FrameIndexes))]
    public void Each_recorded_frame_is_reproduced_byte_for_byte_from_its_event_date_and_previous_signature(int index)
    {
        var scenario = Capture.Scenario("normal");
        var frames = GoldenCapture.Frames(scenario);
        var previous = index == 0 ? GoldenCapture.RequestSignature(scenario) : frames[index - 1].SignatureHex;
        var framer = new SignedEventFramer(new EventSignatureChain(Capture.SecretKey, Capture.Region, Capture.Service, previous));

        var frame = frames[index];
        var buffer = new byte[SignedEventFramer.MaxFramedLength(Encoding.UTF8.GetByteCount(frame.EventJson ?? ""))];
        var length = frame.EventJson is { } json
            ? framer.FrameEvent(Encoding.UTF8.GetBytes(json), frame.Date, buffer)
            : framer.FrameEndOfInput(frame.Date, buffer);

        Assert.Equal(Convert.ToHexStringLower(frame.Bytes), Convert.ToHexStringLower(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void One_chain_seeded_with_the_request_signature_reproduces_the_whole_recorded_input()
    {
        var scenario = Capture.Scenario("normal");
        var framer = new SignedEventFramer(new EventSignatureChain(Capture.SecretKey, Capture.Region, Capture.Service,
            GoldenCapture.RequestSignature(scenario)));
        var expected = new List<byte>();
        var produced = new List<byte>();

        foreach (var frame in GoldenCapture.Frames(scenario))
        {
            var buffer = new byte[SignedEventFramer.MaxFramedLength(Encoding.UTF8.GetByteCount(frame.EventJson ?? ""))];
            var length = frame.EventJson is { } json
                ? framer.FrameEvent(Encoding.UTF8.GetBytes(json), frame.Date, buffer)
                : framer.FrameEndOfInput(frame.Date, buffer);
            produced.AddRange(buffer.AsSpan(0, length));
            expected.AddRange(frame.Bytes);
        }

        Assert.Equal(Convert.ToHexStringLower(expected.ToArray()), Convert.ToHexStringLower(produced.ToArray()));
    }

    [Fact]
    public void A_framed_event_reads_back_through_the_sdk_codec_as_a_json_chunk()
    {
        var framer = new SignedEventFramer(new EventSignatureChain(Capture.SecretKey, Capture.Region, Capture.Service, new string('0', 64)));
        var json = """{"event":{"sessionEnd":{}}}"""u8.ToArray();
        var buffer = new byte[SignedEventFramer.MaxFramedLength(json.Length)];
        var length = framer.FrameEvent(json, DateTimeOffset.FromUnixTimeMilliseconds(1_768_478_400_123), buffer);

        var outer = EventStreamMessage.FromBuffer(buffer, 0, length);
        var inner = EventStreamMessage.FromBuffer(outer.Payload, 0, outer.Payload.Length);

        Assert.Equal(1_768_478_400_123, new DateTimeOffset(outer.Headers[":date"].AsTimestamp()).ToUnixTimeMilliseconds());
        Assert.Equal(32, outer.Headers[":chunk-signature"].AsByteBuf().Length);
        Assert.Equal("chunk", inner.Headers[":event-type"].AsString());
        Assert.Equal("""{"bytes":"eyJldmVudCI6eyJzZXNzaW9uRW5kIjp7fX19"}""", Encoding.UTF8.GetString(inner.Payload));
    }
}
