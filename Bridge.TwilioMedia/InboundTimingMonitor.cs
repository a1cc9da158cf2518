using System.Numerics;

namespace Bridge.TwilioMedia;

/// <summary>
/// Judges the caller's audio path from Twilio's <c>media.timestamp</c> (ms of stream time; a frame every 20 ms) and
/// when each frame arrived:
/// <list type="bullet">
/// <item>a <b>gap</b>: a timestamp more than a frame beyond where the previous one ended (caller audio missing);</item>
/// <item><b>lost</b> frames: 20 ms slots no frame filled by the time 64 later slots had arrived (1.28 s: a frame later
/// than that is useless to a conversation); a frame that arrives behind a later one is <b>reordered</b>, and is not
/// lost if it made it within the window;</item>
/// <item><b>jitter</b>: RFC 3550's interarrival jitter, J += (|D| − J) / 16, where D is how much more (or less) time
/// passed between two arrivals than between their timestamps;</item>
/// <item><b>late</b> frames: arrived more than the threshold after their expected arrival, which is the timestamp
/// plus the fastest transit seen in the last 10–20 s (a sliding baseline, so clock drift between Twilio and us
/// never makes every frame late).</item>
/// </list>
/// Chunk numbers are not used: they count messages on one ordered TCP stream, so they cannot show what timestamps
/// do not, and when Twilio itself has no audio to send (its timestamps jump) they stay contiguous over the hole.
/// No allocation per frame. Not thread-safe: one per stream, fed from its receive loop.
/// </summary>
public sealed class InboundTimingMonitor(TimeSpan lateAfter, TimeProvider time)
{
    public const int FrameMilliseconds = 20;
    public const int ReorderWindowFrames = 64;
    private const int FramesPerJitterSample = 1000 / FrameMilliseconds;
    private const double BaselineWindowMilliseconds = 10_000;

    private readonly double _lateAfterMilliseconds = lateAfter.TotalMilliseconds;
    private readonly long _origin = time.GetTimestamp();

    private bool _started;
    private long _firstTimestamp;
    private long _highestSlot;
    private long _highestTimestamp;
    private ulong _received; // bit i: slot (_highestSlot - i) arrived
    private ulong _valid;    // bit i: slot (_highestSlot - i) is not before the first frame
    private double _lastTransit;
    private double _baselineWindowStart;
    private double _currentWindowMinTransit = double.PositiveInfinity;
    private double _previousWindowMinTransit = double.PositiveInfinity;
    private double _jitterSampleSum;
    private int _jitterSamples;

    public long FramesReceived { get; private set; }

    public int Gaps { get; private set; }

    public long GapMilliseconds { get; private set; }

    public long FramesLost { get; private set; }

    public long FramesLate { get; private set; }

    public long FramesReordered { get; private set; }

    public long FramesDuplicated { get; private set; }

    /// <summary>The current RFC 3550 interarrival jitter estimate, in ms.</summary>
    public double JitterMilliseconds { get; private set; }

    public double MaxJitterMilliseconds { get; private set; }

    /// <summary>The mean of the jitter estimate sampled once per second of caller audio (0 before the first second).</summary>
    public double MeanJitterMilliseconds => _jitterSamples == 0 ? 0 : _jitterSampleSum / _jitterSamples;

    /// <summary>Records a caller frame that has just arrived, with its <c>media.timestamp</c>.</summary>
    public InboundFrameTiming Observe(long timestamp)
    {
        var arrival = time.GetElapsedTime(_origin).TotalMilliseconds;
        var transit = arrival - timestamp;
        FramesReceived++;
        if (!_started)
        {
            Start(timestamp, arrival, transit);
            return default;
        }

        var slot = (long)Math.Round((timestamp - _firstTimestamp) / (double)FrameMilliseconds);
        int lost = 0, gap = 0;
        bool reordered = false, duplicate = false;
        if (slot > _highestSlot)
        {
            var ahead = slot - _highestSlot;
            if (ahead > 1)
            {
                gap = (int)Math.Max(0, timestamp - (_highestTimestamp + FrameMilliseconds));
                Gaps++;
                GapMilliseconds += gap;
            }
            lost = SlideWindow(ahead);
            _highestSlot = slot;
            _highestTimestamp = timestamp;
        }
        else
        {
            var behind = _highestSlot - slot;
            var bit = behind < ReorderWindowFrames ? 1UL << (int)behind : 0;
            duplicate = (_received & bit) != 0;
            reordered = !duplicate;
            _received |= bit & _valid;
        }

        if (duplicate)
        {
            FramesDuplicated++;
            return new InboundFrameTiming(0, 0, false, false, true, false);
        }
        FramesReordered += reordered ? 1 : 0;
        var late = IsLate(arrival, transit);
        FramesLate += late ? 1 : 0;
        UpdateJitter(transit);
        var sampled = FramesReceived % FramesPerJitterSample == 0;
        if (sampled)
        {
            _jitterSampleSum += JitterMilliseconds;
            _jitterSamples++;
        }
        return new InboundFrameTiming(lost, gap, late, reordered, false, sampled);
    }

    /// <summary>The stream ended: slots still missing inside the window are lost. Returns how many.</summary>
    public int Complete()
    {
        var lost = BitOperations.PopCount(_valid & ~_received);
        _received |= _valid;
        FramesLost += lost;
        return lost;
    }

    private void Start(long timestamp, double arrival, double transit)
    {
        _started = true;
        _firstTimestamp = timestamp;
        _highestTimestamp = timestamp;
        _highestSlot = 0;
        _received = 1;
        _valid = 1;
        _lastTransit = transit;
        _baselineWindowStart = arrival;
        _currentWindowMinTransit = transit;
    }

    /// <summary>Moves the window <paramref name="ahead"/> slots on; missing slots that leave it are lost.</summary>
    private int SlideWindow(long ahead)
    {
        long lost;
        if (ahead >= ReorderWindowFrames)
        {
            // Everything in the window leaves, and the missing slots beyond the window's new start never enter it.
            lost = BitOperations.PopCount(_valid & ~_received) + (ahead - ReorderWindowFrames);
            _received = 1;
            _valid = ulong.MaxValue;
        }
        else
        {
            var shift = (int)ahead;
            var leaving = ~0UL << (ReorderWindowFrames - shift);
            lost = BitOperations.PopCount(_valid & ~_received & leaving);
            _received = (_received << shift) | 1;
            _valid = (_valid << shift) | ((1UL << shift) - 1);
        }
        FramesLost += lost;
        return (int)lost;
    }

    private bool IsLate(double arrival, double transit)
    {
        if (arrival - _baselineWindowStart >= BaselineWindowMilliseconds)
        {
            _previousWindowMinTransit = _currentWindowMinTransit;
            _currentWindowMinTransit = double.PositiveInfinity;
            _baselineWindowStart = arrival;
        }
        _currentWindowMinTransit = Math.Min(_currentWindowMinTransit, transit);
        var baseline = Math.Min(_currentWindowMinTransit, _previousWindowMinTransit);
        return transit - baseline > _lateAfterMilliseconds;
    }

    private void UpdateJitter(double transit)
    {
        var difference = Math.Abs(transit - _lastTransit);
        _lastTransit = transit;
        JitterMilliseconds += (difference - JitterMilliseconds) / 16;
        MaxJitterMilliseconds = Math.Max(MaxJitterMilliseconds, JitterMilliseconds);
    }
}
