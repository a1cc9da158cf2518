namespace Bridge.Emulator.Hosting;

/// <summary>The Nova Sonic model ids the emulator answers for, bare or with a cross-region inference prefix (us., eu., ...).</summary>
public static class ModelIds
{
    public const string NovaSonic2 = "amazon.nova-2-sonic-v1:0";
    public const string NovaSonic = "amazon.nova-sonic-v1:0";

    public static bool IsSupported(string modelId)
    {
        var dot = modelId.IndexOf('.');
        var bare = dot > 0 && !modelId.StartsWith("amazon.", StringComparison.Ordinal) ? modelId[(dot + 1)..] : modelId;
        return bare is NovaSonic2 or NovaSonic;
    }
}
