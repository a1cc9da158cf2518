using System.ComponentModel.DataAnnotations;

namespace Bridge.Audio;

/// <summary>The audio formats agreed with the model. Section <c>Audio</c>; at 8000/8000 no resampling runs at all.</summary>
public sealed class AudioOptions
{
    public const string SectionName = "Audio";

    /// <summary>The rate of the PCM sent to the model (the caller's 8 kHz is upsampled when 16000).</summary>
    [AllowedValues(8000, 16000, ErrorMessage = "Audio:ModelInputRate must be 8000 or 16000.")]
    public int ModelInputRate { get; set; } = 8000;

    /// <summary>The rate the model speaks at (downsampled to the caller's 8 kHz when above).</summary>
    [AllowedValues(8000, 16000, 24000, ErrorMessage = "Audio:ModelOutputRate must be 8000, 16000 or 24000.")]
    public int ModelOutputRate { get; set; } = 8000;

    /// <summary>
    /// How much caller audio goes to the model in one chunk: four Twilio frames by default. Each chunk is an event
    /// signed, written and answered; 80 ms instead of 40 cost 13–17 % less CPU per call in the load test, for 20 ms
    /// more latency on average (docs/benchmarks.md, issue 18 round 4).
    /// </summary>
    [Range(20, 100, ErrorMessage = "Audio:ModelInputChunkMilliseconds must be between 20 and 100.")]
    public int ModelInputChunkMilliseconds { get; set; } = 80;
}
