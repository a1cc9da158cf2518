using Bridge.CallSimulator.Load;
using Bridge.TwilioStandIn.Media;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Tools.CallSimulator;

/// <summary>Returned audio is matched to sent frames by content, whatever its chunking; gaps are losses.</summary>
public sealed class LoopbackFrameMatcherTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly LatencyHistogram _latencies = new();

    [Fact]
    public void Frames_are_matched_across_any_chunking_and_a_missing_frame_is_lost()
    {
        var matcher = new LoopbackFrameMatcher(_time, _latencies, lateAfter: TimeSpan.FromMilliseconds(100));
        var audio = new TaggedCallerAudio(TimeSpan.FromSeconds(1));
        var returned = new List<byte>();
        var frame = new byte[160];
        for (var chunk = 1; chunk <= 10; chunk++)
        {
            matcher.CallerFrameSent(chunk, _time.GetTimestamp());
            audio.ReadFrame(chunk - 1, frame);
            if (chunk != 5)
            {
                returned.AddRange(frame);
            }
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        // All of it comes back 30 ms after the last frame was sent, in 7-byte pieces that split every header.
        _time.Advance(TimeSpan.FromMilliseconds(10));
        foreach (var piece in returned.Chunk(7))
        {
            matcher.ServerMessageHandled(ServerMessageKind.Media, piece, _time.GetTimestamp());
        }

        Assert.Equal(9, matcher.Returned);
        Assert.Equal(1, matcher.LostBefore(_time.GetTimestamp()));
        Assert.Equal(0, matcher.Unknown);
        Assert.Equal(9, _latencies.Count);
        Assert.Equal(30, _latencies.Percentile(0)!.Value, precision: 0); // the last frame: sent at 180 ms, back at 210 ms
        Assert.Equal(210, _latencies.MaxMs!.Value, precision: 0); // the first: sent at 0
        Assert.Equal(5, matcher.Late); // frames sent at 0..80 ms took over 100 ms
    }

    [Fact]
    public void A_frame_that_comes_back_twice_counts_once_and_is_reported_duplicated()
    {
        var matcher = new LoopbackFrameMatcher(_time, _latencies, TimeSpan.FromSeconds(1));
        var frame = new byte[160];
        new TaggedCallerAudio(TimeSpan.FromSeconds(1)).ReadFrame(0, frame);
        matcher.CallerFrameSent(1, _time.GetTimestamp());

        matcher.ServerMessageHandled(ServerMessageKind.Media, frame, _time.GetTimestamp());
        matcher.ServerMessageHandled(ServerMessageKind.Media, frame, _time.GetTimestamp());

        Assert.Equal(1, matcher.Returned);
        Assert.Equal(1, matcher.Duplicates);
    }

    [Fact]
    public void Tagged_frames_survive_mulaw_decoding_and_encoding()
    {
        // A loopback at 8 kHz decodes to PCM and encodes back: every byte the tags use must come back unchanged.
        var frame = new byte[160];
        new TaggedCallerAudio(TimeSpan.FromSeconds(1)).ReadFrame(123_456, frame);
        var pcm = new short[160];
        var again = new byte[160];

        Bridge.Audio.MuLaw.Decode(frame, pcm);
        Bridge.Audio.MuLaw.Encode(pcm, again);

        Assert.Equal(frame, again);
    }

    [Fact]
    public void Percentiles_come_from_the_recorded_latencies()
    {
        for (var ms = 1; ms <= 100; ms++)
        {
            _latencies.Add(TimeSpan.FromMilliseconds(ms - 0.05));
        }

        Assert.Equal(50, _latencies.Percentile(50)!.Value, precision: 1);
        Assert.Equal(95, _latencies.Percentile(95)!.Value, precision: 1);
        Assert.Equal(99, _latencies.Percentile(99)!.Value, precision: 1);
    }
}
