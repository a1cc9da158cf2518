using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Bridge.Bedrock;

/// <summary>Supplies the credentials that sign each new stream.</summary>
public interface IBedrockCredentialSource
{
    /// <summary>Current credentials; refreshing sources renew themselves before they expire.</summary>
    ValueTask<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// AWSSDK.Core's default chain: environment, shared profile (with SSO through AWSSDK.SSO), ECS container
/// credentials, EC2 instance profile. Resolved once; the resolved credentials refresh themselves when they expire.
/// </summary>
public sealed class DefaultChainCredentialSource : IBedrockCredentialSource, IDisposable
{
    private readonly DefaultAWSCredentialsIdentityResolver _resolver = new();
    private readonly SemaphoreSlim _resolving = new(1, 1);
    private AWSCredentials? _credentials;

    public async ValueTask<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        var credentials = _credentials;
        if (credentials is null)
        {
            await _resolving.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                credentials = _credentials ??= await _resolver.ResolveIdentityAsync(null, cancellationToken).ConfigureAwait(false)
                    ?? throw new BedrockAccessException("noCredentials", "No AWS credentials were found in the default chain.");
            }
            finally
            {
                _resolving.Release();
            }
        }
        return await credentials.GetCredentialsAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        _resolver.Dispose();
        _resolving.Dispose();
    }
}

/// <summary>Fixed credentials (tests, the local emulator).</summary>
public sealed class StaticCredentialSource(ImmutableCredentials credentials) : IBedrockCredentialSource
{
    public ValueTask<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);
}
