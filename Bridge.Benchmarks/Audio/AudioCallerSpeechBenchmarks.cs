using BenchmarkDotNet.Attributes;
using Bridge.NovaSonic;

namespace Bridge.Benchmarks.Audio;

/// <summary>
/// What the Nova session does with every 40 ms chunk of caller audio besides sending it: judge it with the voice
/// detector, and keep it for a replay to a new stream (with the segments rented and returned as utterances come and
/// go: the buffer is emptied every 3 s of audio, as an answered utterance empties it).
/// </summary>
[MemoryDiagnoser]
public class AudioCallerSpeechBenchmarks
{
    private const int ChunksPerUtterance = 75;

    private short[] _chunk = null!;
    private CallerSpeechMonitor _monitor = null!;
    private UtteranceBuffer _utterance = null!;
    private int _chunks;

    [Params(8000, 16000)]
    public int ModelInputRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _chunk = AudioFrames.Pcm(ModelInputRate, frames: 2);
        _monitor = new CallerSpeechMonitor(ModelInputRate, TimeProvider.System);
        _utterance = new UtteranceBuffer(ModelInputRate, TimeSpan.FromSeconds(3));
    }

    /// <summary>Per 40 ms chunk: the voice detector's judgement.</summary>
    [Benchmark]
    public int JudgeSpeech() => (int)_monitor.Observe(_chunk);

    /// <summary>Per 40 ms chunk: kept for a replay.</summary>
    [Benchmark]
    public int KeepForReplay()
    {
        if (++_chunks == ChunksPerUtterance)
        {
            _chunks = 0;
            _utterance.Clear();
        }
        _utterance.Append(_chunk);
        return _utterance.Count;
    }
}
