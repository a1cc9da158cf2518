using Bridge.Audio;
using Bridge.Softphone.Calls;

namespace Bridge.Tests.Tools.Softphone;

/// <summary>The browser's microphone as the caller's line: buffered PCM16, taken 20 ms at a time, sent as µ-law.</summary>
public sealed class BrowserCallerAudioTests
{
    [Fact]
    public void Frames_start_after_two_are_buffered_and_are_the_samples_encoded_with_bridge_audio()
    {
        var audio = new BrowserCallerAudio(new TurnTimer());
        var samples = Enumerable.Range(0, 320).Select(i => (short)(i * 97 - 15000)).ToArray();
        var frame = new byte[160];

        audio.Write(Pcm16(samples[..160]));
        audio.ReadFrame(0, frame);
        Assert.All(frame, b => Assert.Equal(MuLaw.Silence, b)); // one frame is not enough to start

        audio.Write(Pcm16(samples[160..]));
        audio.ReadFrame(1, frame);
        Assert.Equal(Encode(samples[..160]), frame);
        audio.ReadFrame(2, frame);
        Assert.Equal(Encode(samples[160..]), frame);

        audio.ReadFrame(3, frame); // ran dry: silence, and the buffer fills again before audio goes on
        Assert.All(frame, b => Assert.Equal(MuLaw.Silence, b));
        audio.Write(Pcm16(samples[..160]));
        audio.ReadFrame(4, frame);
        Assert.All(frame, b => Assert.Equal(MuLaw.Silence, b));
    }

    [Fact]
    public void More_than_half_a_second_buffered_loses_the_oldest_audio()
    {
        var audio = new BrowserCallerAudio(new TurnTimer());
        for (var i = 0; i < 30; i++)
        {
            audio.Write(Pcm16(Enumerable.Repeat((short)(i * 500), 160).ToArray()));
        }
        var frame = new byte[160];

        audio.ReadFrame(0, frame);

        Assert.Equal(Encode(Enumerable.Repeat((short)(5 * 500), 160).ToArray()), frame); // frames 0-4 were dropped
    }

    [Fact]
    public void A_live_caller_talks_until_they_hang_up()
    {
        Assert.Equal(TimeSpan.MaxValue, new BrowserCallerAudio(new TurnTimer()).Duration);
    }

    private static byte[] Pcm16(short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }
        return bytes;
    }

    private static byte[] Encode(short[] samples)
    {
        var encoded = new byte[samples.Length];
        MuLaw.Encode(samples, encoded);
        return encoded;
    }
}
