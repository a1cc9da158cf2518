using Bridge.Emulator.Faults;
using Bridge.Emulator.Nova;
using Bridge.Emulator.Signing;
using Bridge.Emulator.Wire;

namespace Bridge.Emulator.Hosting;

/// <summary>
/// What one signed input frame means, read in place: its date within the clock skew, its chunk signature verified in
/// the chain, its event decoded and accepted by the protocol validator. One per stream, used by its reader.
/// </summary>
internal sealed class InputReading(ChunkSignatureVerifier chain, InputEventReader events, ProtocolValidator validator)
{
    private byte[] _eventJson = new byte[4096];

    public ProtocolValidator Validator => validator;

    /// <summary>
    /// The frame's event, or null (and no <paramref name="failure"/>) for the frame that ends the input. Throws
    /// <see cref="FrameDecodeException"/> when the frame cannot be read at all.
    /// </summary>
    public InputEvent? Read(ReadOnlySpan<byte> message, DateTimeOffset now, TimeSpan allowedSkew, out InputRefusal? failure)
    {
        failure = null;
        var frame = EventStreamReader.ReadSigned(message);
        if ((frame.Date - now).Duration() > allowedSkew)
        {
            failure = new InputRefusal(
                $"Signature expired: the frame's :date {SigV4Time.AmzDate(frame.Date)} is more than {allowedSkew.TotalMinutes:0.#} min from the server's time.",
                _ => "a frame's :date is outside the allowed clock skew");
            return null;
        }

        if (!chain.Verify(frame.Date, frame.Signature, frame.Payload))
        {
            failure = new InputRefusal(SignatureFailure.Mismatch().Message, number => $"the chunk signature of frame {number} does not verify");
            return null;
        }

        if (frame.IsEndOfInput)
        {
            return null;
        }

        var length = EventStreamReader.ReadEventJson(frame.Payload, ref _eventJson);
        var inputEvent = events.Read(_eventJson.AsMemory(0, length), out var problem);
        if ((inputEvent is null ? problem : validator.Accept(inputEvent)) is { } violation)
        {
            failure = new InputRefusal(ExceptionTypes.ValidationMessage, _ => violation);
            return null;
        }
        return inputEvent;
    }
}

/// <summary>Why an input frame ends the stream: the exception's message, and the reason logged (given the frame's number).</summary>
internal sealed record InputRefusal(string Message, Func<long, string> Reason);
