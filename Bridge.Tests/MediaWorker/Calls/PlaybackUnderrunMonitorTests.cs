using Bridge.MediaWorker.Calls;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.MediaWorker.Calls;

public sealed class PlaybackUnderrunMonitorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly PlaybackUnderrunMonitor _monitor;

    public PlaybackUnderrunMonitorTests() => _monitor = new PlaybackUnderrunMonitor(_time);

    [Fact]
    public void Playback_running_dry_while_audio_is_owed_is_an_underrun_until_audio_is_sent_again()
    {
        _monitor.PlaybackRanDry(audioPending: true);
        _time.Advance(TimeSpan.FromMilliseconds(120));
        var first = _monitor.AudioSent();
        _monitor.PlaybackRanDry(audioPending: true);
        _time.Advance(TimeSpan.FromMilliseconds(30));
        _monitor.PlaybackRanDry(audioPending: true); // the same dry spell, noticed again
        _time.Advance(TimeSpan.FromMilliseconds(50));
        var second = _monitor.AudioSent();

        Assert.Equal(TimeSpan.FromMilliseconds(120), first);
        Assert.Equal(TimeSpan.FromMilliseconds(80), second);
        Assert.Equal(2, _monitor.Underruns);
        Assert.Equal(TimeSpan.FromMilliseconds(200), _monitor.Total);
    }

    [Fact]
    public void Audio_sent_without_a_dry_spell_is_no_underrun()
    {
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(_monitor.AudioSent());
        Assert.Equal(0, _monitor.Underruns);
    }

    [Fact]
    public void Running_dry_with_nothing_owed_is_the_end_of_speech()
    {
        _monitor.PlaybackRanDry(audioPending: false);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(_monitor.AudioSent());
        Assert.Equal(0, _monitor.Underruns);
    }

    [Fact]
    public void A_dry_spell_that_ends_with_the_turn_or_a_barge_in_is_not_counted()
    {
        _monitor.PlaybackRanDry(audioPending: true);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        _monitor.NothingPending();
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Null(_monitor.AudioSent());
        Assert.Equal(TimeSpan.Zero, _monitor.Total);
    }
}
