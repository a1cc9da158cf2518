namespace Bridge.Tests.Support;

/// <summary>Files copied from the shared test vectors into <c>Bridge.Tests/Vectors</c> (see its README).</summary>
public static class TestVectors
{
    public static string PathOf(string relative) =>
        Path.Combine(AppContext.BaseDirectory, "Vectors", relative);

    public static string ReadText(string relative) => File.ReadAllText(PathOf(relative));

    public static byte[] ReadBytes(string relative) => File.ReadAllBytes(PathOf(relative));
}
