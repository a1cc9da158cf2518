namespace Bridge.Tests.Support;

public static class RepositoryRoot
{
    /// <summary>The checkout the tests were built from: the folder holding Bridge.sln.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Bridge.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Bridge.sln not found above " + AppContext.BaseDirectory);
    }
}
