using System.Text.Json;
using Bridge.Tests.Support;
using Bridge.TwilioMedia;

namespace Bridge.Tests.TwilioMedia;

public sealed class TwilioFrameWriterTests
{
    private const string StreamSid = "MZ0123456789abcdef0123456789abcdef";
    private readonly TwilioFrameWriter _writer = new(StreamSid);

    private static JsonElement Read(ReadOnlyMemory<byte> frame) => JsonDocument.Parse(frame).RootElement.Clone();

    [Fact]
    public void Media_carries_the_stream_and_the_audio_in_base64()
    {
        var audio = Enumerable.Range(0, 160).Select(i => (byte)(255 - i)).ToArray();

        var frame = Read(_writer.Media(audio));

        Assert.Equal("media", frame.GetProperty("event").GetString());
        Assert.Equal(StreamSid, frame.GetProperty("streamSid").GetString());
        Assert.Equal(audio, frame.GetProperty("media").GetProperty("payload").GetBytesFromBase64());
    }

    [Fact]
    public void A_mark_is_named_for_its_generation_and_sequence()
    {
        var frame = Read(_writer.Mark(new PlaybackMark(2, 41)));

        Assert.Equal("mark", frame.GetProperty("event").GetString());
        Assert.Equal(StreamSid, frame.GetProperty("streamSid").GetString());
        Assert.Equal("2.41", frame.GetProperty("mark").GetProperty("name").GetString());
    }

    [Fact]
    public void Clear_names_only_the_stream()
    {
        var frame = Read(_writer.Clear());

        Assert.Equal("""{"event":"clear","streamSid":"MZ0123456789abcdef0123456789abcdef"}""", frame.GetRawText());
    }

    [Fact]
    public void Writing_media_allocates_nothing()
    {
        var audio = new byte[160];
        _writer.Media(audio);

        Assert.Equal(0, Allocations.FewestPerRound(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                _writer.Media(audio);
                _writer.Mark(new PlaybackMark(1, i));
            }
        }));
    }
}
