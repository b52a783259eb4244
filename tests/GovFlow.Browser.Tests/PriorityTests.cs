using System.Text.RegularExpressions;
using GovFlow.Host.Simulators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GovFlow.Browser.Tests;

/// <summary>
/// 绿色通道 in a real browser: policy staff put an elder on the priority register, the window accepts an elderly
/// allowance for them, and the street office's reviewer finds it first in the inbox on a phone, tagged, and approves
/// it from the phone.
/// </summary>
[TestFixture, NonParallelizable]
public class PriorityTests
{
    private BrowserHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await BrowserHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task A_priority_applicants_case_comes_first_in_the_reviewers_phone_inbox_and_is_approved_there()
    {
        var elders = _host.Factory.Services.GetRequiredService<SimulatedWorld>().People.Where(p => p.BirthDate.Year < 1946).Skip(3).Take(2).ToList();
        var (elder, neighbour) = (elders[0], elders[1]);

        // Policy staff mark the elder for 绿色通道 until a month from now.
        var policy = await _host.SignInAsync("policy01");
        await policy.GotoAsync("/priority");
        await policy.GetByTestId("priority-id").FillAsync(elder.IdNumber);
        await policy.GetByTestId("priority-name").FillAsync(elder.Name);
        await policy.GetByTestId("priority-reason").FillAsync("区重点人才项目负责人（南人才〔2026〕12号）");
        await policy.GetByTestId("priority-submit").ClickAsync();
        await Expect(policy.Locator(".ant-form-item-explain-error").First).ToContainTextAsync("请填写优先服务的结束日期");
        await policy.GetByTestId("priority-ends").ClickAsync();
        var endsOn = DateTime.Today.AddDays(30).ToString("yyyy-MM-dd");
        await policy.Keyboard.TypeAsync(endsOn);
        // Leaving the field keeps the typed day (Enter would also submit the form).
        await policy.GetByTestId("priority-reason").ClickAsync();
        await Expect(policy.Locator(".ant-form-item").Filter(new() { HasText = "结束日期" }).Locator("input")).ToHaveValueAsync(endsOn);
        await policy.GetByTestId("priority-submit").ClickAsync();
        await Expect(policy.Locator(".ant-table-row").Filter(new() { HasText = elder.Name })).ToContainTextAsync("绿色通道");
        await BrowserHost.ShotAsync(policy, "p1-priority-register");

        // The window accepts a neighbour's application, then the elder's (received later, so due no sooner).
        var window = await _host.SignInAsync("window01");
        async Task<string> AcceptAsync(SimPerson p)
        {
            var accepted = await window.APIRequest.PostAsync("/api/cases", new()
            {
                DataObject = new
                {
                    matterCode = "44030505001", channel = "window", data = new { age = 2026 - p.BirthDate.Year },
                    applicant = new { name = p.Name, idType = "111", idNumber = p.IdNumber, phone = p.Phone, address = p.Address },
                    materials = new[] { "高龄津贴申请书", "居民身份证", "银行卡", "照片" }.Select(m => new { name = m, provided = true })
                }
            });
            Assert.That(accepted.Status, Is.EqualTo(201), await accepted.TextAsync());
            return (await accepted.JsonAsync())!.Value.GetProperty("caseNumber").GetString()!;
        }
        var ordinary = await AcceptAsync(neighbour);
        var caseNumber = await AcceptAsync(elder);
        await window.Context.CloseAsync();

        // The reviewer's inbox on a phone: cards, the priority case first with its tag, nothing wider than the screen.
        var reviewer = await _host.SignInAsync("reviewer02", 390, 844);
        await Expect(reviewer).ToHaveURLAsync(new Regex("/inbox$"));
        var first = reviewer.GetByTestId("task-card").First;
        await Expect(first).ToContainTextAsync(caseNumber);
        await Expect(first.GetByTestId("priority-tag")).ToHaveTextAsync("绿色通道");
        await Expect(reviewer.GetByTestId("task-card").Nth(1)).ToContainTextAsync(ordinary);
        await Expect(reviewer.GetByTestId("task-card").Nth(1).GetByTestId("priority-tag")).ToHaveCountAsync(0);
        Assert.That(await reviewer.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(390), "no sideways scrolling");
        await BrowserHost.ShotAsync(reviewer, "p2-reviewer-phone-inbox");

        await first.GetByTestId("claim").ClickAsync();
        await Expect(reviewer.Locator(".ant-message")).ToContainTextAsync("已签收");
        await first.GetByTestId("task-link").ClickAsync();
        await Expect(reviewer.GetByTestId("priority-tag").First).ToHaveTextAsync("绿色通道");
        var approve = reviewer.GetByTestId("action-approve").Locator("xpath=ancestor::label");
        await Expect(approve).ToBeVisibleAsync();
        await BrowserHost.ShotAsync(reviewer, "p3-reviewer-phone-case");
        Assert.That(await reviewer.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(390), "the case page fits the phone too");
        await approve.ClickAsync();
        await reviewer.GetByTestId("submit-action").ClickAsync();
        await Expect(reviewer.Locator(".ant-message")).ToContainTextAsync("已办理");
        await BrowserHost.ShotAsync(reviewer, "p4-reviewer-phone-approved");
    }
}
