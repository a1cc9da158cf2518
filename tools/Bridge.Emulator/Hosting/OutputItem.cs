namespace Bridge.Emulator.Hosting;

internal enum OutputItemKind
{
    Frame,
    Exception,
    Reset,
}

internal readonly record struct OutputItem(OutputItemKind Kind, byte[]? Bytes);
