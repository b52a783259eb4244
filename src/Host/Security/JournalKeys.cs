using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Security;

/// <summary>
/// The server's SM2 key that signs journal checkpoints. From configuration: <c>GovFlow:Crypto:Sm2PrivateKey</c>
/// (64 hex digits) or <c>GovFlow:Crypto:Sm2PrivateKeyFile</c> (a file holding them). In demo mode without either,
/// a key is generated once and kept in the data folder (<c>journal-sm2.key</c>), so a demo's journals stay verifiable
/// across restarts; outside demo mode a missing key stops the start-up rather than signing with a throwaway one.
/// </summary>
public sealed class JournalKeys
{
    /// <summary>The key file's name in the data folder (demo mode).</summary>
    public const string DemoKeyFile = "journal-sm2.key";

    /// <summary>Wraps a signer.</summary>
    public JournalKeys(JournalSigner signer) => Signer = signer;

    /// <summary>Signs checkpoints.</summary>
    public JournalSigner Signer { get; }

    /// <summary>The public key auditors verify with.</summary>
    public JournalPublicKey PublicKey => Signer.PublicKey;

    /// <summary>The key configured, or in demo mode the data folder's.</summary>
    /// <exception cref="InvalidOperationException">Outside demo mode with no key configured, or with a bad key.</exception>
    public static JournalKeys From(IConfiguration configuration)
    {
        try
        {
            if (configuration["GovFlow:Crypto:Sm2PrivateKey"] is { Length: > 0 } hex) return new JournalKeys(JournalSigner.FromPrivateKeyHex(hex));
            if (configuration["GovFlow:Crypto:Sm2PrivateKeyFile"] is { Length: > 0 } file) return new JournalKeys(JournalSigner.FromPrivateKeyHex(File.ReadAllText(file)));
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"GovFlow:Crypto:Sm2PrivateKey(File) is not a valid SM2 private key: {ex.Message}", ex);
        }
        if (!configuration.GetValue("GovFlow:Demo", true))
            throw new InvalidOperationException("No journal signing key: set GovFlow:Crypto:Sm2PrivateKey or GovFlow:Crypto:Sm2PrivateKeyFile (demo mode generates one).");
        return new JournalKeys(DemoKey(Path.Combine(Persistence.Database.DataDirectory(configuration), DemoKeyFile)));
    }

    private static JournalSigner DemoKey(string path)
    {
        if (File.Exists(path)) return JournalSigner.FromPrivateKeyHex(File.ReadAllText(path));
        var signer = JournalSigner.Generate();
        try
        {
            WriteKeyFile(path, signer);
            return signer;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process of the same data folder wrote its key first: use that one, so both sign alike.
            return JournalSigner.FromPrivateKeyHex(File.ReadAllText(path));
        }
    }

    /// <summary>Writes a new key file, readable by its owner only where the file system can say so; never overwrites one.</summary>
    /// <exception cref="IOException">The file exists.</exception>
    public static void WriteKeyFile(string path, JournalSigner signer)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(new FileStream(path, options));
        writer.Write(signer.PrivateKeyHex());
    }
}
