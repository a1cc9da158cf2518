namespace Bridge.AppHost;

/// <summary>
/// Whether this machine has AWS credentials the media worker's default chain would find, judged from what the
/// chain reads first (environment, shared files, container and web-identity settings) without calling any
/// metadata endpoint.
/// </summary>
internal static class AwsCredentialsProbe
{
    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID",
        "AWS_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ];

    public static bool Found()
    {
        if (Variables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))))
        {
            return true;
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var credentialsFile = Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(home, ".aws", "credentials");
        var configFile = Environment.GetEnvironmentVariable("AWS_CONFIG_FILE") ?? Path.Combine(home, ".aws", "config");
        return File.Exists(credentialsFile) || File.Exists(configFile);
    }
}
