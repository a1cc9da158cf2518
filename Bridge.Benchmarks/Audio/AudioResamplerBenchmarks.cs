using BenchmarkDotNet.Attributes;
using Bridge.Audio;

namespace Bridge.Benchmarks.Audio;

/// <summary>Each resampler over one 20 ms frame of input, state carried from frame to frame as in a call.</summary>
[MemoryDiagnoser]
public class AudioResamplerBenchmarks
{
    private Resampler _resampler = null!;
    private short[] _input = null!;
    private short[] _output = null!;

    [Params("8000->16000", "16000->8000", "24000->8000", "8000->24000", "16000->24000", "24000->16000")]
    public string Conversion { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var rates = Conversion.Split("->");
        int inputRate = int.Parse(rates[0]), outputRate = int.Parse(rates[1]);
        _resampler = Resampler.Create(inputRate, outputRate);
        _input = AudioFrames.Pcm(inputRate);
        _output = new short[_resampler.GetMaxOutputLength(_input.Length)];
    }

    [Benchmark]
    public int Frame() => _resampler.Process(_input, _output);
}
