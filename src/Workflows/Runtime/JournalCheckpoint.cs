using System.Globalization;
using System.Text;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace GovFlow.Workflows.Runtime;

/// <summary>
/// A server's SM2 signature over a journal's chain head: the instance, the sequence and hash of the record it
/// covers, and when it was signed. Whoever can write the database can rehash a whole chain, but cannot sign for it.
/// </summary>
/// <param name="InstanceId">The workflow instance whose journal it covers.</param>
/// <param name="Sequence">The record it covers (and, through the chain, every record before it).</param>
/// <param name="Hash">That record's hash.</param>
/// <param name="SignedAt">When it was signed.</param>
/// <param name="KeyId">Which key signed it (<see cref="JournalSigner.KeyIdOf"/> of its public key).</param>
/// <param name="Signature">The SM2 signature (DER, hex) of <see cref="Message"/>.</param>
public sealed record JournalCheckpoint(string InstanceId, long Sequence, string Hash, DateTimeOffset SignedAt, string KeyId, string Signature)
{
    /// <summary>The bytes signed: a fixed label, then every field but the signature, one per line.</summary>
    public byte[] Message() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"GovFlow journal checkpoint v1\n{InstanceId}\n{Sequence}\n{Hash}\n{SignedAt.ToUnixTimeMilliseconds()}\n{KeyId}"));

    /// <summary>Whether the signature is the key's over this checkpoint.</summary>
    public bool IsSignedBy(JournalPublicKey key)
    {
        if (!string.Equals(KeyId, key.KeyId, StringComparison.Ordinal)) return false;
        byte[] signature;
        try { signature = Convert.FromHexString(Signature); }
        catch (FormatException) { return false; }
        var verifier = new SM2Signer();
        verifier.Init(false, key.Parameters);
        var message = Message();
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }
}

/// <summary>An SM2 public key that checkpoints are verified with; what an auditor is given.</summary>
public sealed class JournalPublicKey
{
    internal JournalPublicKey(ECPublicKeyParameters parameters)
    {
        Parameters = parameters;
        KeyId = JournalSigner.KeyIdOf(parameters);
    }

    internal ECPublicKeyParameters Parameters { get; }

    /// <summary>The key's id: the first 16 hex digits of the SM3 hash of its uncompressed point.</summary>
    public string KeyId { get; }

    /// <summary>The key as PEM (SubjectPublicKeyInfo with the SM2 curve), which OpenSSL and GmSSL read.</summary>
    public string ToPem()
    {
        var der = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(Parameters).GetDerEncoded();
        var body = Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal);
        return $"-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n";
    }

    /// <summary>Reads a key written by <see cref="ToPem"/> (or the hex of its uncompressed point, 04‖x‖y).</summary>
    /// <exception cref="FormatException">When the text is neither, or not an SM2 key.</exception>
    public static JournalPublicKey Parse(string text)
    {
        text = text.Trim();
        try
        {
            if (text.StartsWith("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal))
            {
                var base64 = string.Concat(text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
                if (PublicKeyFactory.CreateKey(Convert.FromBase64String(base64)) is ECPublicKeyParameters ec) return new JournalPublicKey(JournalSigner.OnSm2Curve(ec.Q));
                throw new FormatException("The PEM key is not an elliptic-curve (SM2) key.");
            }
            return new JournalPublicKey(JournalSigner.OnSm2Curve(JournalSigner.Curve.Curve.DecodePoint(Convert.FromHexString(text))));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            throw new FormatException($"Not an SM2 public key: {ex.Message}", ex);
        }
    }
}

/// <summary>Signs journal checkpoints with an SM2 private key (GB/T 32918, curve sm2p256v1, SM3 digest).</summary>
public sealed class JournalSigner
{
    // BouncyCastle's own arithmetic for this curve (fixed 256-bit words) rather than the generic big-integer curve
    // of GMNamedCurves: the same parameters and signatures, at a fraction of the CPU a step's signature cost.
    internal static readonly ECNamedDomainParameters Curve = new(GMObjectIdentifiers.sm2p256v1, Org.BouncyCastle.Crypto.EC.CustomNamedCurves.GetByName("sm2p256v1"));
    private readonly ECPrivateKeyParameters _private;
    // Initialising an SM2 signer computes the public point and the signer's Z value, which cost more than the
    // signature itself; a signer is reused (it resets itself after each signature), one per thread.
    private readonly ThreadLocal<SM2Signer> _signers;

    private JournalSigner(ECPrivateKeyParameters key)
    {
        _private = key;
        PublicKey = new JournalPublicKey(OnSm2Curve(Curve.G.Multiply(key.D).Normalize()));
        _signers = new ThreadLocal<SM2Signer>(() =>
        {
            var signer = new SM2Signer();
            signer.Init(true, new ParametersWithRandom(_private, new SecureRandom()));
            return signer;
        });
    }

    /// <summary>The public half, for verifiers.</summary>
    public JournalPublicKey PublicKey { get; }

    /// <summary>A new random key pair.</summary>
    public static JournalSigner Generate()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Curve, new SecureRandom()));
        return new JournalSigner((ECPrivateKeyParameters)generator.GenerateKeyPair().Private);
    }

    /// <summary>The key whose private scalar is <paramref name="hex"/> (64 hex digits).</summary>
    /// <exception cref="FormatException">When it is not a valid SM2 private key.</exception>
    public static JournalSigner FromPrivateKeyHex(string hex)
    {
        byte[] bytes;
        try { bytes = Convert.FromHexString(hex.Trim()); }
        catch (FormatException ex) { throw new FormatException("The SM2 private key must be 64 hexadecimal digits.", ex); }
        var d = new BigInteger(1, bytes);
        if (bytes.Length != 32 || d.SignValue <= 0 || d.CompareTo(Curve.N) >= 0) throw new FormatException("The SM2 private key must be 64 hexadecimal digits, a scalar below the curve's order.");
        return new JournalSigner(new ECPrivateKeyParameters(d, Curve));
    }

    /// <summary>The private scalar as 64 hex digits (for the key file).</summary>
    public string PrivateKeyHex() => Convert.ToHexStringLower(Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, _private.D));

    /// <summary>Signs the chain head <paramref name="sequence"/>/<paramref name="hash"/> of an instance's journal.</summary>
    public JournalCheckpoint Sign(string instanceId, long sequence, string hash, DateTimeOffset signedAt)
    {
        var unsigned = new JournalCheckpoint(instanceId, sequence, hash, DateTimeOffset.FromUnixTimeMilliseconds(signedAt.ToUnixTimeMilliseconds()), PublicKey.KeyId, "");
        var signer = _signers.Value!;
        var message = unsigned.Message();
        signer.BlockUpdate(message, 0, message.Length);
        return unsigned with { Signature = Convert.ToHexStringLower(signer.GenerateSignature()) };
    }

    internal static string KeyIdOf(ECPublicKeyParameters key) => Convert.ToHexStringLower(JournalAlgorithms.Sm3Hash(key.Q.GetEncoded(false)))[..16];

    internal static ECPublicKeyParameters OnSm2Curve(Org.BouncyCastle.Math.EC.ECPoint q)
    {
        var point = Curve.Curve.DecodePoint(q.GetEncoded(false));
        if (!point.IsValid()) throw new ArgumentException("The point is not on the SM2 curve.");
        return new ECPublicKeyParameters(point, Curve);
    }
}
