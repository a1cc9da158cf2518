namespace Bridge.Emulator;

/// <summary>
/// The credentials and region the emulator accepts unless configured otherwise. Public constants so a client started
/// by hand (a test, an SDK sample) can use them. They grant nothing anywhere but here.
/// </summary>
public static class EmulatorDefaults
{
    public const string AccessKeyId = "AKIAEMULATORLOCAL001";
    public const string SecretAccessKey = "emulator/local-only/not-an-aws-secret/0000";
    public const string Region = "us-east-1";

    /// <summary>The SigV4 service name Bedrock Runtime signs with.</summary>
    public const string SigningService = "bedrock";

    /// <summary>The port the command-line emulator listens on when none is given.</summary>
    public const int Port = 5281;

    /// <summary>The request header a caller can set to inject faults into that one stream (see <see cref="Faults.FaultPlan"/>).</summary>
    public const string FaultHeader = "x-emulator-fault";
}
