using BenchmarkDotNet.Attributes;
using Bridge.Audio;

namespace Bridge.Benchmarks.Audio;

/// <summary>G.711 µ-law over one 20 ms frame (160 samples).</summary>
[MemoryDiagnoser]
public class AudioMuLawBenchmarks
{
    private readonly short[] _pcm = AudioFrames.Pcm(8000);
    private readonly byte[] _ulaw = AudioFrames.Ulaw();
    private readonly short[] _decoded = new short[160];
    private readonly byte[] _encoded = new byte[160];

    [Benchmark]
    public void Decode() => MuLaw.Decode(_ulaw, _decoded);

    [Benchmark]
    public void Encode() => MuLaw.Encode(_pcm, _encoded);
}
