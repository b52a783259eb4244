using GovFlow.Host.Persistence;
using Microsoft.Extensions.Configuration;
using NUnit.Framework;

namespace GovFlow.Host.Tests;

/// <summary>Choosing the provider from configuration.</summary>
[TestFixture]
public sealed class DatabaseTests
{
    [TestCase("Host=db;Username=gov", 64)]
    [TestCase("Host=db;Username=gov;Max Auto Prepare=10", 10)]
    public void PostgreSQL_prepares_repeated_statements_unless_the_operator_chose(string given, int expected)
    {
        var (provider, connection) = Database.Connection(Settings(("provider", "postgres"), ("connection", given)));
        Assert.That(provider, Is.EqualTo("postgres"));
        Assert.That(new Npgsql.NpgsqlConnectionStringBuilder(connection).MaxAutoPrepare, Is.EqualTo(expected));
    }

    [Test]
    public void A_missing_PostgreSQL_connection_or_an_unknown_provider_is_named()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Database.Connection(Settings(("provider", "postgres"))), Throws.InvalidOperationException.With.Message.Contains("--connection"));
            Assert.That(() => Database.Connection(Settings(("provider", "oracle"))), Throws.InvalidOperationException.With.Message.Contains("oracle"));
        });
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();
}
