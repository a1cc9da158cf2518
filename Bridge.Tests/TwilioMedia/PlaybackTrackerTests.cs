using Bridge.TwilioMedia;

namespace Bridge.Tests.TwilioMedia;

public sealed class PlaybackTrackerTests
{
    private readonly PlaybackTracker _tracker = new();

    [Fact]
    public void An_echoed_mark_means_everything_before_it_was_heard()
    {
        var first = _tracker.AudioSent(160);
        _tracker.AudioSent(160);

        Assert.True(_tracker.MarkEchoed(first));

        Assert.Equal(160, _tracker.HeardBytes);
        Assert.Equal(160, _tracker.LeadBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(20), _tracker.Lead);
    }

    [Fact]
    public void A_later_mark_covers_earlier_marks_that_were_not_echoed_separately()
    {
        _tracker.AudioSent(160);
        var second = _tracker.AudioSent(320);

        _tracker.MarkEchoed(second);

        Assert.Equal(480, _tracker.HeardBytes);
        Assert.Equal(0, _tracker.PendingMarks);
    }

    [Fact]
    public void Marks_flushed_by_clear_do_not_count_as_heard()
    {
        var heard = _tracker.AudioSent(160);
        var flushed1 = _tracker.AudioSent(800);
        var flushed2 = _tracker.AudioSent(800);
        _tracker.MarkEchoed(heard);

        Assert.Equal(1600, _tracker.Cleared());
        Assert.False(_tracker.MarkEchoed(flushed1));
        Assert.False(_tracker.MarkEchoed(flushed2));

        Assert.Equal(160, _tracker.HeardBytes);
        Assert.Equal(1600, _tracker.FlushedBytes);
        Assert.Equal(0, _tracker.LeadBytes);
    }

    [Fact]
    public void After_a_clear_new_audio_is_tracked_in_the_new_generation()
    {
        _tracker.AudioSent(400);
        _tracker.Cleared();

        var next = _tracker.AudioSent(160);
        Assert.Equal(1, next.Generation);
        _tracker.MarkEchoed(next);

        Assert.Equal(160, _tracker.HeardBytes);
        Assert.Equal(560, _tracker.SentBytes);
    }

    [Theory]
    [InlineData("0.0", 0, 0L)]
    [InlineData("12.345", 12, 345L)]
    public void Mark_names_round_trip(string name, int generation, long sequence)
    {
        Assert.True(PlaybackMark.TryParse(System.Text.Encoding.ASCII.GetBytes(name), out var mark));
        Assert.Equal(new PlaybackMark(generation, sequence), mark);
        Assert.Equal(name, mark.ToString());
    }

    [Theory]
    [InlineData("greeting")]
    [InlineData("1.")]
    [InlineData(".1")]
    [InlineData("1.2.3")]
    [InlineData("-1.2")]
    public void Names_that_are_not_ours_are_not_marks(string name)
    {
        Assert.False(PlaybackMark.TryParse(System.Text.Encoding.ASCII.GetBytes(name), out _));
    }
}
