namespace Bridge.MediaWorker.WebSockets;

/// <summary>
/// Follows the frame headers of a WebSocket byte stream from the client (RFC 6455 §5.2: opcode, masked length,
/// mask, payload) as it goes by, in pieces of any size, and counts the frames that begin in them: the control frames
/// (close, ping, pong), and the fragments (a data frame that is not a whole message: its FIN bit clear, or a
/// continuation). Twilio sends each message as one frame; an empty or one-byte fragment costs the receiver a frame's work.
/// Reads nothing twice and keeps no payload; malformed framing is the WebSocket's own business to refuse.
/// </summary>
internal struct WebSocketFrameScanner
{
    private enum Part { FirstByte, LengthByte, ExtendedLength, MaskKey, Payload }

    private Part _part;
    private int _bytesLeftInPart;
    private ulong _length;
    private bool _masked;

    /// <summary>Scans the next bytes of the stream; returns how many control frames, and how many fragments, began in them.</summary>
    public int Scan(ReadOnlySpan<byte> data, out int fragments)
    {
        var controlFrames = 0;
        fragments = 0;
        var i = 0;
        while (i < data.Length)
        {
            switch (_part)
            {
                case Part.FirstByte:
                    // Opcodes 0x8 and above are control frames.
                    var first = data[i++];
                    if ((first & 0x0F) >= 0x8)
                    {
                        controlFrames++;
                    }
                    else if ((first & 0x80) == 0 || (first & 0x0F) == 0)
                    {
                        // FIN clear, or opcode 0 (continuation): a piece of a message.
                        fragments++;
                    }
                    _part = Part.LengthByte;
                    break;
                case Part.LengthByte:
                    var b = data[i++];
                    _masked = (b & 0x80) != 0;
                    var length = b & 0x7F;
                    _length = 0;
                    if (length >= 126)
                    {
                        _part = Part.ExtendedLength;
                        _bytesLeftInPart = length == 126 ? 2 : 8;
                    }
                    else
                    {
                        _length = (ulong)length;
                        AfterLength();
                    }
                    break;
                case Part.ExtendedLength:
                    _length = (_length << 8) | data[i++];
                    if (--_bytesLeftInPart == 0)
                    {
                        AfterLength();
                    }
                    break;
                case Part.MaskKey:
                    i++;
                    if (--_bytesLeftInPart == 0)
                    {
                        BeginPayload();
                    }
                    break;
                case Part.Payload:
                    var skipped = (int)Math.Min(_length, (ulong)(data.Length - i));
                    i += skipped;
                    _length -= (ulong)skipped;
                    if (_length == 0)
                    {
                        _part = Part.FirstByte;
                    }
                    break;
            }
        }
        return controlFrames;
    }

    private void AfterLength()
    {
        if (_masked)
        {
            _part = Part.MaskKey;
            _bytesLeftInPart = 4;
        }
        else
        {
            BeginPayload();
        }
    }

    private void BeginPayload() => _part = _length == 0 ? Part.FirstByte : Part.Payload;
}
