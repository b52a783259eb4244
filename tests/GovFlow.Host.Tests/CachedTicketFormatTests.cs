using System.Security.Claims;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Authentication;
using NUnit.Framework;

namespace GovFlow.Host.Tests;

/// <summary>The sign-in cookie is decrypted once per cookie text, and only cookies the protector accepts are remembered.</summary>
[TestFixture]
public sealed class CachedTicketFormatTests
{
    [Test]
    public void A_cookie_is_decrypted_once_and_forged_ones_are_never_remembered()
    {
        var inner = new CountingFormat();
        using var format = new CachedTicketFormat(inner);
        var good = inner.Protect(Ticket("window01"));

        var first = format.Unprotect(good);
        var again = format.Unprotect(good);
        var forged = format.Unprotect(good + "x");
        var forgedAgain = format.Unprotect(good + "x");

        Assert.Multiple(() =>
        {
            Assert.That(first!.Principal.Identity!.Name, Is.EqualTo("window01"));
            Assert.That(again, Is.SameAs(first));
            Assert.That(forged, Is.Null);
            Assert.That(forgedAgain, Is.Null);
            Assert.That(inner.Reads, Is.EqualTo(3), "the good cookie once, the forged one each time");
            Assert.That(format.Count, Is.EqualTo(1));
            Assert.That(format.Unprotect(null), Is.Null);
        });
    }

    private static AuthenticationTicket Ticket(string user) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], "test")), "Cookies");

    /// <summary>Protects by naming the user; accepts only texts it made.</summary>
    private sealed class CountingFormat : ISecureDataFormat<AuthenticationTicket>
    {
        private readonly Dictionary<string, AuthenticationTicket> _made = [];
        public int Reads { get; private set; }
        public string Protect(AuthenticationTicket data) => Protect(data, null);
        public string Protect(AuthenticationTicket data, string? purpose) { var text = "sealed:" + data.Principal.Identity!.Name; _made[text] = data; return text; }
        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);
        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose) { Reads++; return protectedText != null && _made.TryGetValue(protectedText, out var t) ? t : null; }
    }
}
