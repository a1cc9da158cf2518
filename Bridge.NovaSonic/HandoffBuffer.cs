using System.Runtime.InteropServices;
using Bridge.Audio;
using Bridge.Buffers;

namespace Bridge.NovaSonic;

/// <summary>
/// Holds the caller's audio while one stream hands over to the next, so nothing said in between is lost: first the
/// utterance the old stream had not answered (taken over from the <see cref="UtteranceBuffer"/>, µ-law, decoded as it
/// is replayed), then what the caller says during the switch, as PCM in pooled segments. Bounded: past
/// <see cref="MaxSamples"/> the newest audio is dropped (a handoff that long has failed anyway). Not thread-safe: its
/// owner guards it.
/// </summary>
internal sealed class HandoffBuffer(int sampleRate)
{
    private const int MaxSeconds = 60;

    private readonly PooledByteQueue _held = new(sampleRate * MaxSeconds * sizeof(short), UtteranceBuffer.SegmentBytes);
    private readonly List<Action<INovaStream>> _pending = [];
    private PooledByteQueue? _muLawUtterance;

    public int MaxSamples { get; } = sampleRate * MaxSeconds;

    public int BufferedSamples => (_muLawUtterance?.Count ?? 0) + _held.Count / sizeof(short);

    public int DroppedSamples { get; private set; }

    /// <summary>Pooled segments rented now (the utterance taken over and the audio held).</summary>
    internal int RentedSegments => (_muLawUtterance?.Segments ?? 0) + _held.Segments;

    /// <summary>
    /// The utterance to replay before anything held, µ-law, one byte a sample: its segments are this buffer's now.
    /// </summary>
    public void TakeOver(PooledByteQueue muLawUtterance)
    {
        _muLawUtterance?.Dispose();
        _muLawUtterance = muLawUtterance;
    }

    public void Append(ReadOnlySpan<short> samples)
    {
        if (BufferedSamples + samples.Length > MaxSamples)
        {
            DroppedSamples += samples.Length;
            return;
        }
        _held.Enqueue(MemoryMarshal.AsBytes(samples));
    }

    /// <summary>Text and tool results that arrived during the handoff, replayed on the new stream after the audio.</summary>
    public void Defer(Action<INovaStream> send) => _pending.Add(send);

    /// <summary>Sends the utterance and the held audio in events of about 32 ms, then the deferred sends; keeps nothing.</summary>
    public void ReplayInto(INovaStream stream)
    {
        Span<short> piece = stackalloc short[sampleRate * 32 / 1000];
        if (_muLawUtterance is not null)
        {
            ReplayMuLaw(_muLawUtterance, stream, piece);
        }
        Replay(_held, stream, piece);
        foreach (var send in _pending)
        {
            send(stream);
        }
        Release();
    }

    private static void ReplayMuLaw(PooledByteQueue muLaw, INovaStream stream, Span<short> piece)
    {
        Span<byte> codes = stackalloc byte[piece.Length];
        int read;
        while ((read = muLaw.Dequeue(codes)) > 0)
        {
            MuLaw.Decode(codes[..read], piece);
            stream.SendAudio(piece[..read]);
        }
    }

    private static void Replay(PooledByteQueue audio, INovaStream stream, Span<short> piece)
    {
        int read;
        while ((read = audio.Dequeue(MemoryMarshal.AsBytes(piece))) > 0)
        {
            stream.SendAudio(piece[..(read / sizeof(short))]);
        }
    }

    /// <summary>Gives the pooled segments back (after the replay, or when the switch is abandoned).</summary>
    public void Release()
    {
        _muLawUtterance?.Dispose();
        _held.Dispose();
    }
}
