namespace Bridge.Emulator.Wire;

/// <summary>
/// One signed outer message of the input: its <c>:date</c>, its <c>:chunk-signature</c> and its payload (the inner
/// event message, or nothing for the frame that ends the input).
/// </summary>
public sealed record InputFrame(DateTimeOffset Date, byte[] Signature, byte[] Payload)
{
    public bool IsEndOfInput => Payload.Length == 0;
}
