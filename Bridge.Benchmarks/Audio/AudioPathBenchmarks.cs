using System.Buffers.Text;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Bridge.Audio;

namespace Bridge.Benchmarks.Audio;

/// <summary>
/// The whole per-frame work of a call on UTF-8 spans, as the media worker does it: no strings, no allocation.
/// Inbound: Twilio's base64 µ-law → PCM at the model's input rate → base64 for the model.
/// Outbound: the model's base64 PCM (20 ms at its output rate) → 8 kHz µ-law frame → base64 for Twilio.
/// </summary>
[MemoryDiagnoser]
public class AudioPathBenchmarks
{
    private const int FramesPerChunk = 2; // 40 ms model chunks: every second caller frame completes one

    private InboundChunker _inbound = null!;
    private OutboundFramer _outbound = null!;
    private byte[][] _twilioPayloads = null!;
    private byte[] _modelPayload = null!;
    private readonly byte[] _ulaw = new byte[160];
    private readonly short[] _chunk = new short[640];
    private readonly byte[] _chunkBase64 = new byte[Base64.GetMaxEncodedToUtf8Length(1280)];
    private readonly byte[] _modelPcm = new byte[960];
    private readonly byte[] _frames = new byte[320];
    private readonly byte[] _frameBase64 = new byte[Base64.GetMaxEncodedToUtf8Length(160)];

    [Params(8000, 16000, 24000)]
    public int ModelRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ulaw = AudioFrames.Ulaw(FramesPerChunk);
        _twilioPayloads = [.. Enumerable.Range(0, FramesPerChunk).Select(i => AudioFrames.Base64Utf8(ulaw.AsSpan(160 * i, 160)))];
        _modelPayload = AudioFrames.Base64Utf8(AudioFrames.Pcm(ModelRate));
        _inbound = new InboundChunker(Math.Min(ModelRate, 16000), chunkMilliseconds: 40);
        _outbound = new OutboundFramer(ModelRate);
    }

    /// <summary>Per caller frame (two frames per call, one model chunk encoded). The model input rate is 8 or 16 kHz; 24000 runs as 16000.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerChunk)]
    public int Inbound()
    {
        int encoded = 0;
        foreach (var payload in _twilioPayloads)
        {
            Base64.DecodeFromUtf8(payload, _ulaw, out _, out int ulawLength);
            int samples = _inbound.Write(_ulaw.AsSpan(0, ulawLength), _chunk);
            if (samples > 0)
            {
                Base64.EncodeToUtf8(MemoryMarshal.AsBytes(_chunk.AsSpan(0, samples)), _chunkBase64, out _, out encoded);
            }
        }
        return encoded;
    }

    /// <summary>Per 20 ms of model speech.</summary>
    [Benchmark]
    public int Outbound()
    {
        Base64.DecodeFromUtf8(_modelPayload, _modelPcm, out _, out int pcmLength);
        int ulawLength = _outbound.Write(MemoryMarshal.Cast<byte, short>(_modelPcm.AsSpan(0, pcmLength)), _frames);
        Base64.EncodeToUtf8(_frames.AsSpan(0, ulawLength), _frameBase64, out _, out int encoded);
        return encoded;
    }
}
