using System.Buffers.Binary;
using System.Text;
using Amazon.Runtime.EventStreams;
using Bridge.Emulator.Nova;
using Bridge.Emulator.Wire;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>
/// The emulator reads its input in place (frames, chunk payloads, audioInput events) for the load tests' sake; these
/// check that it reads exactly what AWSSDK.Core's codec and the general event parser read, and refuses what they refuse.
/// </summary>
public sealed class InputFastPathTests
{
    private const string Audio = "AAECAwQFBgc="; // 8 bytes of PCM

    [Theory]
    [InlineData("""{"event":{"audioInput":{"promptName":"p-1","contentName":"a-1","content":"AAECAwQFBgc="}}}""")]
    [InlineData("""{"event":{"audioInput":{"content":"AAECAwQFBgc=","contentName":"a-1","promptName":"p-1","role":"USER"}}}""")]
    [InlineData("""{"event":{"audioInput":{"promptName":"p-1","contentName":"a-1","content":"AAECAwQFBg=="}}}""")]
    [InlineData("""{"event":{"audioInput":{"promptName":"p-1","contentName":"a-1","content":"not base64!"}}}""")]
    [InlineData("""{"event":{"audioInput":{"promptName":"p-1","contentName":"a-1"}}}""")]
    [InlineData("""{"event":{"audioInput":{"promptName":"p-1","contentName":"a-1","content":12}}}""")]
    [InlineData("""{"event":{"audioInput":{"promptName":"p\u002D1","contentName":"a-1","content":"AAECAwQFBgc="}}}""")]
    [InlineData("""{"event":{"audioInput":{"promptName":"p-1","promptName":"p-2","contentName":"a-1","content":"AAECAwQFBgc="}}}""")]
    [InlineData("""{"event":{"audioInput":{"promptName":"p-1","contentName":"a-1","content":"AAECAwQFBgc="},"textInput":{}}}""")]
    [InlineData("""{"event":{"audioInput":{"promptName":"p-1","contentName":"a-1","content":"AAECAwQFBgc="}},"more":1}""")]
    [InlineData("""{"event":{"audioInput":{"promptName":null,"contentName":"a-1","content":"AAECAwQFBgc="}}}""")]
    [InlineData("""{"event":{"audioInput":{"promptName":"p-1","contentName":"a-1","content":"AAECAwQFBgc="}}""")]
    [InlineData("""{"event":{"contentEnd":{"promptName":"p-1","contentName":"a-1"}}}""")]
    public void An_event_reads_as_the_general_parser_reads_it(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);

        var fast = new InputEventReader().Read(utf8, out var fastProblem);
        var general = InputEventParser.Parse(utf8, out var generalProblem);

        Assert.Equal(generalProblem, fastProblem);
        Assert.Equal(Describe(general), Describe(fast));
    }

    [Fact]
    public void The_names_of_one_content_are_read_once_and_a_new_name_is_read_again()
    {
        var reader = new InputEventReader();

        var first = reader.Read(AudioEvent("a-1"), out _)!;
        var second = reader.Read(AudioEvent("a-1"), out _)!;
        var other = reader.Read(AudioEvent("a-2"), out _)!;

        Assert.Same(first.ContentName, second.ContentName);
        Assert.Equal("a-2", other.ContentName);
        Assert.Equal(Convert.FromBase64String(Audio), other.Audio);
    }

    [Fact]
    public void A_frame_reads_as_the_sdk_codec_reads_it()
    {
        var inner = TestEvents.InnerMessage("""{"event":{"sessionEnd":{}}}""");
        var sdk = EventStreamMessage.FromBuffer(inner, 0, inner.Length);

        var frame = EventStreamFrame.Read(inner);

        Assert.Equal(sdk.Payload, frame.Payload.ToArray());
        Assert.True(frame.HeaderEquals(":event-type"u8, "chunk"u8));
        Assert.True(frame.HeaderEquals(":message-type"u8, "event"u8));
        Assert.False(frame.HeaderEquals(":message-type"u8, "exception"u8));
        Assert.False(frame.TryGetHeader(":date"u8, out _, out _));
        Assert.Equal("""{"event":{"sessionEnd":{}}}""", Encoding.UTF8.GetString(EventStreamReader.DecodeEventJson(inner)));
    }

    [Theory]
    [InlineData(9)]   // the prelude's CRC
    [InlineData(20)]  // a header's byte (the message CRC)
    [InlineData(-1)]  // the message CRC itself
    public void A_frame_with_a_damaged_byte_is_refused_like_the_sdk_refuses_it(int at)
    {
        var inner = TestEvents.InnerMessage("""{"event":{"sessionEnd":{}}}""");
        inner[at < 0 ? inner.Length + at : at] ^= 0x01;

        Assert.ThrowsAny<Exception>(() => EventStreamMessage.FromBuffer(inner, 0, inner.Length));
        Assert.Throws<FrameDecodeException>(() => EventStreamFrame.Read(inner));
    }

    [Fact]
    public void A_frame_whose_headers_overrun_is_refused()
    {
        var inner = TestEvents.InnerMessage("""{"event":{"sessionEnd":{}}}""");
        // The first header's name claims more bytes than the headers hold; both CRCs made right again.
        inner[12] = 200;
        EventStreamFrame.Finish(inner, BinaryPrimitives.ReadInt32BigEndian(inner.AsSpan(4)));

        Assert.Throws<FrameDecodeException>(() => EventStreamFrame.Read(inner));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(641)]
    public void An_output_chunk_is_the_message_the_sdk_writes(int jsonLength)
    {
        var json = Encoding.UTF8.GetBytes(new string('x', jsonLength));
        var headers = new List<IEventStreamHeader>();
        foreach (var (name, value) in new[] { (":event-type", "chunk"), (":content-type", "application/json"), (":message-type", "event") })
        {
            var header = new EventStreamHeader(name);
            header.SetString(value);
            headers.Add(header);
        }
        var expected = new EventStreamMessage(headers, ChunkPayload.Encode(json)).ToByteArray();

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(OutputFrames.Chunk(json)));
    }

    [Fact]
    public void Audio_output_events_written_one_after_another_are_each_whole()
    {
        var events = new OutputEvents("s-1", "p-1", "c-1");

        var first = events.AudioOutput("a-1", [1, 2, 3, 4]);
        var second = events.AudioOutput("a-1", [5, 6]);

        Assert.Equal("""{"event":{"audioOutput":{"sessionId":"s-1","promptName":"p-1","completionId":"c-1","contentId":"a-1","content":"AQIDBA=="}}}""", Encoding.UTF8.GetString(first));
        Assert.Equal("""{"event":{"audioOutput":{"sessionId":"s-1","promptName":"p-1","completionId":"c-1","contentId":"a-1","content":"BQY="}}}""", Encoding.UTF8.GetString(second));
    }

    private static byte[] AudioEvent(string contentName) =>
        Encoding.UTF8.GetBytes("{\"event\":{\"audioInput\":{\"promptName\":\"p-1\",\"contentName\":\"" + contentName + "\",\"content\":\"" + Audio + "\"}}}");

    private static string Describe(InputEvent? e) =>
        e is null ? "null" : $"{e.Kind} {e.PromptName} {e.ContentName} {e.Problem} {(e.Audio is null ? "-" : Convert.ToHexString(e.Audio))} {e.Text}";
}
