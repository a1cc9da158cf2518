namespace Bridge.Audio;

/// <summary>Equal rates: no filter, no state; <see cref="Process"/> copies.</summary>
internal sealed class PassThroughResampler(int rate) : Resampler(rate, rate)
{
    public override bool IsPassThrough => true;

    public override TimeSpan Delay => TimeSpan.Zero;

    public override int GetOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return inputLength;
    }

    public override int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        input.CopyTo(output);
        return input.Length;
    }

    public override void Reset()
    {
    }
}
