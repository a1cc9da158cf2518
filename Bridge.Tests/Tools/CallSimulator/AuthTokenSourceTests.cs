using Bridge.CallSimulator.Cli;
using Bridge.TwilioStandIn.Media;

namespace Bridge.Tests.Tools.CallSimulator;

public sealed class AuthTokenSourceTests : IDisposable
{
    private readonly string _secrets = Path.GetTempFileName();

    [Fact]
    public void The_command_line_wins_over_the_environment_and_the_secrets()
    {
        File.WriteAllText(_secrets, """{ "Parameters:twilio-auth-token": "from-secrets" }""");

        var found = AuthTokenSource.Find("from-flag", _ => "from-env", _secrets);

        Assert.Equal("from-flag", found?.Token);
    }

    [Fact]
    public void The_environment_wins_over_the_secrets()
    {
        File.WriteAllText(_secrets, """{ "Parameters:twilio-auth-token": "from-secrets" }""");

        var found = AuthTokenSource.Find(null, name => name == "TWILIO_AUTH_TOKEN" ? "from-env" : null, _secrets);

        Assert.Equal("from-env", found?.Token);
    }

    [Theory]
    [InlineData("""{ "Parameters:twilio-auth-token": "generated" }""")]
    [InlineData("""{ "Parameters": { "twilio-auth-token": "generated" } }""")]
    public void The_apphosts_generated_token_is_read_from_its_user_secrets(string json)
    {
        File.WriteAllText(_secrets, json);

        var found = AuthTokenSource.Find(null, _ => null, _secrets);

        Assert.Equal("generated", found?.Token);
        Assert.Contains(_secrets, found?.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void No_token_anywhere_is_none()
    {
        File.Delete(_secrets);

        Assert.Null(AuthTokenSource.Find(null, _ => null, _secrets));
    }

    [Fact]
    public void The_secrets_path_is_the_apphosts_user_secrets_id()
    {
        Assert.Contains("bridge-apphost-6c1f4c1e-2f3b-4f0e-9a77-1d5b2a0d7e11", AuthTokenSource.DefaultUserSecretsFile(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5@3s", '5', 3000)]
    [InlineData("#@1500ms", '#', 1500)]
    [InlineData("a@2.5s", 'A', 2500)]
    public void Dtmf_presses_read_digit_at_time(string text, char digit, int ms)
    {
        Assert.True(DtmfPress.TryParse(text, out var press, out _));
        Assert.Equal(new DtmfPress(digit, TimeSpan.FromMilliseconds(ms)), press);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("x@3s")]
    [InlineData("5@soon")]
    [InlineData("55@3s")]
    public void Malformed_dtmf_presses_are_refused(string text)
    {
        Assert.False(DtmfPress.TryParse(text, out _, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_secrets);
}

public sealed class AccountSidSourceTests : IDisposable
{
    private const string FromSecrets = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private readonly string _secrets = Path.GetTempFileName();

    public void Dispose() => File.Delete(_secrets);

    [Fact]
    public void The_account_the_apphost_generated_for_its_worker_is_used_unless_one_is_given()
    {
        File.WriteAllText(_secrets, $$"""{ "Parameters:twilio-auth-token": "x", "Parameters:twilio-account-sid": "{{FromSecrets}}" }""");

        Assert.Equal(FromSecrets, AccountSidSource.Find(null, _ => null, _secrets).AccountSid);
        Assert.Equal("ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", AccountSidSource.Find(null, n => n == "TWILIO_ACCOUNT_SID" ? "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" : null, _secrets).AccountSid);
        Assert.Equal("ACcccccccccccccccccccccccccccccccc", AccountSidSource.Find("ACcccccccccccccccccccccccccccccccc", _ => "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", _secrets).AccountSid);
    }

    [Fact]
    public void Without_any_the_simulated_account_is_used()
    {
        File.WriteAllText(_secrets, "{}");

        Assert.Equal(Bridge.TwilioStandIn.Calls.CallSimulationOptions.DefaultAccountSid, AccountSidSource.Find(null, _ => null, _secrets).AccountSid);
    }
}
