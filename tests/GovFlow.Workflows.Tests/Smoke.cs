namespace GovFlow.Workflows.Tests;
public class Smoke { [Test] public void Works() => Assert.That(1 + 1, Is.EqualTo(2)); }
