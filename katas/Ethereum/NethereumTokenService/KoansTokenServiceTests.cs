using System.Numerics;
using Koans.Testing;
using Koans.Testing.Chain;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.NethereumTokenService;

public class KoansTokenServiceTests(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/contracts/KoansToken.sol, compiled to infra/chain/artifacts/KoansToken.json (solc 0.8.30).
    private static readonly ContractArtifact Token = ContractArtifact.Load("KoansToken");
    private static readonly BigInteger Supply = 1_000 * BigInteger.Pow(10, 18);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Anvil accounts 0 (owner), 1 (spender), 2 (recipient): public test keys.
    private Web3 As(int index) => new(new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[index % Chain.PrivateKeys.Count], AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private static string Address(int index) => AnvilAccounts.Addresses[index];

    private static string Owner => Address(0);

    private static string Spender => Address(1);

    private static string Recipient => Address(2);

    // The checks read the chain through the artifact's ABI JSON, independently of the learner's service.
    private Contract Observe(string token) => new Web3(Chain.RpcUrl.ToString()).Eth.GetContract(Token.Abi.GetRawText(), token);

    private Task<BigInteger> ObservedBalanceAsync(string token, string owner) => Observe(token).GetFunction("balanceOf").CallAsync<BigInteger>(owner);

    private Task<BigInteger> ObservedAllowanceAsync(string token, string owner, string spender) => Observe(token).GetFunction("allowance").CallAsync<BigInteger>(owner, spender);

    private Task<KoansTokenService> DeployAsync(BigInteger? supply = null) =>
        KoansTokenService.DeployContractAndGetServiceAsync(As(0),
            new KoansTokenDeployment("0x" + Convert.ToHexStringLower(Token.Bytecode)) { Name = "Koans Token", Symbol = "KOAN", InitialSupply = supply ?? Supply }, Ct);

    private static List<BigInteger> ApprovalValues(IEnumerable<TransactionReceipt> receipts) =>
        [.. receipts.SelectMany(r => r.DecodeAllEvents<ApprovalEventDto>()).Select(e => e.Event.Value)];

    private async Task<BigInteger> NonceAsync(string address) => (await new Web3(Chain.RpcUrl.ToString()).Eth.Transactions.GetTransactionCount.SendRequestAsync(address)).Value;

    [Fact]
    public async Task Deploy_returns_a_service_for_the_new_contract_and_its_queries_read_it()
    {
        var service = await DeployAsync();

        (await Observe(service.ContractAddress).GetFunction("symbol").CallAsync<string>()).Should().Be("KOAN", "the service is bound to the contract just deployed");
        (await service.BalanceOfQueryAsync(Owner)).Should().Be(Supply, "the deployer holds the supply");
        (await service.BalanceOfQueryAsync(Recipient)).Should().Be(BigInteger.Zero);
    }

    [Fact]
    public async Task Deploy_refuses_a_creation_that_was_mined_but_failed()
    {
        // A fixed gas limit skips the estimate. 200 000 covers the creation's intrinsic gas (about 90 000: 53 000 plus
        // the init code's calldata) but not the constructor's storage writes and the code deposit (200 gas a byte of the
        // runtime code), so the creation runs out of gas in the block: mined, status 0, no contract.
        var deployment = new KoansTokenDeployment("0x" + Convert.ToHexStringLower(Token.Bytecode))
        {
            Name = "Koans Token", Symbol = "KOAN", InitialSupply = Supply, Gas = 200_000,
        };
        var nonce = await NonceAsync(Owner);

        var act = () => KoansTokenService.DeployContractAndGetServiceAsync(As(0), deployment, Ct);

        await act.Should().ThrowAsync<Nethereum.RPC.Eth.Exceptions.ContractDeploymentException>(
            "a receipt with status 0 is a failed creation: a service bound to its address would query an account with no code");
        (await NonceAsync(Owner)).Should().Be(nonce + 1, "the failed creation was mined (and paid for): only its status says it failed");
    }

    [Fact]
    public async Task Transfer_sends_from_the_service_s_account()
    {
        var service = await DeployAsync();

        var receipt = await service.TransferRequestAndWaitForReceiptAsync(Recipient, 700, Ct);

        receipt.From.Should().BeEquivalentTo(Owner, "the service sends as the account of the Web3 it was built with");
        (await ObservedBalanceAsync(service.ContractAddress, Recipient)).Should().Be(new BigInteger(700));
    }

    [Fact]
    public async Task Allowance_is_read_as_owner_then_spender()
    {
        var service = await DeployAsync();

        await service.ApproveRequestAndWaitForReceiptAsync(Spender, 500, Ct);

        (await service.AllowanceQueryAsync(Owner, Spender)).Should().Be(new BigInteger(500), "allowance(owner, spender) is allowance[owner][spender]");
        (await service.AllowanceQueryAsync(Spender, Owner)).Should().Be(BigInteger.Zero, "the reverse direction was never approved: swapped arguments read the wrong slot");
        (await ObservedAllowanceAsync(service.ContractAddress, Owner, Spender)).Should().Be(new BigInteger(500));
    }

    [Fact]
    public async Task The_service_knows_the_contract_s_functions_events_and_errors()
    {
        var service = await DeployAsync();

        service.GetAllFunctionTypes().Should().BeEquivalentTo(
            [typeof(BalanceOfFunction), typeof(AllowanceFunction), typeof(TransferFunction), typeof(ApproveFunction), typeof(TransferFromFunction)]);
        service.GetAllEventTypes().Should().BeEquivalentTo([typeof(TransferEventDto), typeof(ApprovalEventDto)]);
        service.GetAllErrorTypes().Should().BeEquivalentTo(
            [typeof(Erc20InsufficientBalanceError), typeof(Erc20InsufficientAllowanceError), typeof(Erc20InvalidReceiverError)],
            "with the error types the base class decodes any revert of this contract by name");

        var act = () => service.TransferRequestAndWaitForReceiptAsync("0x0000000000000000000000000000000000000000", 1, Ct);
        var revert = (await act.Should().ThrowAsync<SmartContractCustomErrorRevertException>("transfer to the zero address reverts with ERC20InvalidReceiver")).Which;
        service.FindCustomErrorException(revert).ErrorABI.Name.Should().Be("ERC20InvalidReceiver");
    }

    [Fact]
    public async Task Collect_moves_the_tokens_as_the_spender_and_spends_the_allowance()
    {
        var ownerService = await DeployAsync();
        await ownerService.ApproveRequestAndWaitForReceiptAsync(Spender, 500, Ct);
        var spenderService = new KoansTokenService(As(1), ownerService.ContractAddress);

        var receipt = await TokenScript.CollectAsync(spenderService, Owner, Recipient, 200, Ct);

        receipt.From.Should().BeEquivalentTo(Spender, "transferFrom is sent by the spender: msg.sender is whose allowance is spent");
        (await ObservedBalanceAsync(ownerService.ContractAddress, Recipient)).Should().Be(new BigInteger(200));
        (await ObservedBalanceAsync(ownerService.ContractAddress, Owner)).Should().Be(Supply - 200, "the tokens come out of the owner's balance");
        (await ObservedAllowanceAsync(ownerService.ContractAddress, Owner, Spender)).Should().Be(new BigInteger(300), "and out of the allowance");
    }

    [Fact]
    public async Task Collect_beyond_the_allowance_reports_the_allowance_and_the_amount_and_mines_nothing()
    {
        var ownerService = await DeployAsync();
        await ownerService.ApproveRequestAndWaitForReceiptAsync(Spender, 500, Ct);
        var spenderService = new KoansTokenService(As(1), ownerService.ContractAddress);
        var nonce = await NonceAsync(Spender);

        var act = () => TokenScript.CollectAsync(spenderService, Owner, Recipient, 501, Ct);

        var exceeded = (await act.Should().ThrowAsync<AllowanceExceededException>("the token reverts with ERC20InsufficientAllowance(spender, allowance, needed)")).Which;
        exceeded.Spender.Should().BeEquivalentTo(Spender);
        exceeded.Allowance.Should().Be(new BigInteger(500), "the second argument of the custom error");
        exceeded.Needed.Should().Be(new BigInteger(501), "the third");
        (await NonceAsync(Spender)).Should().Be(nonce, "the revert was found while estimating gas: nothing was mined, no gas was paid");
    }

    [Fact]
    public async Task Collect_beyond_the_owner_s_balance_is_not_reported_as_an_allowance_problem()
    {
        var ownerService = await DeployAsync(supply: 100);
        await ownerService.ApproveRequestAndWaitForReceiptAsync(Spender, 1_000, Ct);
        var spenderService = new KoansTokenService(As(1), ownerService.ContractAddress);

        var act = () => TokenScript.CollectAsync(spenderService, Owner, Recipient, 500, Ct);

        var revert = (await act.Should().ThrowAsync<SmartContractCustomErrorRevertException>(
            "the allowance (1000) covers 500 but the owner holds 100: ERC20InsufficientBalance, another problem with another fix")).Which;
        revert.IsCustomErrorFor<Erc20InsufficientBalanceError>().Should().BeTrue();
        revert.DecodeError<Erc20InsufficientBalanceError>().Balance.Should().Be(new BigInteger(100));
    }

    [Fact]
    public async Task ChangeAllowance_from_a_non_zero_value_goes_through_zero_first()
    {
        var ownerService = await DeployAsync();
        await ownerService.ApproveRequestAndWaitForReceiptAsync(Spender, 100, Ct);

        var receipts = await TokenScript.ChangeAllowanceAsync(ownerService, Spender, 200, Ct);

        ApprovalValues(receipts).Should().Equal([BigInteger.Zero, new BigInteger(200)],
            "EIP-20: set the allowance to 0 before another non-zero value, or the spender can front-run the change and spend 100 + 200");
        receipts.Select(r => r.BlockNumber.Value).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems("the second approval is sent after the first is mined");
        (await ObservedAllowanceAsync(ownerService.ContractAddress, Owner, Spender)).Should().Be(new BigInteger(200));
    }

    [Fact]
    public async Task ChangeAllowance_from_zero_or_to_zero_is_a_single_approval_and_no_change_sends_nothing()
    {
        var ownerService = await DeployAsync();

        var fromZero = await TokenScript.ChangeAllowanceAsync(ownerService, Spender, 50, Ct);
        var unchanged = await TokenScript.ChangeAllowanceAsync(ownerService, Spender, 50, Ct);
        var toZero = await TokenScript.ChangeAllowanceAsync(ownerService, Spender, 0, Ct);

        ApprovalValues(fromZero).Should().Equal([new BigInteger(50)], "from 0 there is no old allowance to front-run");
        unchanged.Should().BeEmpty("the allowance is already 50: a transaction would cost gas for nothing");
        ApprovalValues(toZero).Should().Equal([BigInteger.Zero], "revoking is one approval to 0");
    }

    [Fact]
    public async Task ChangeAllowance_refuses_a_negative_allowance_before_sending_anything()
    {
        var ownerService = await DeployAsync();
        var nonce = await NonceAsync(Owner);

        var act = () => TokenScript.ChangeAllowanceAsync(ownerService, Spender, BigInteger.MinusOne, Ct);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>(
            "an allowance is a uint256: an encoder that writes -1 in two's complement approves 2^256 - 1, an unlimited allowance").WithParameterName("newAllowance");
        (await NonceAsync(Owner)).Should().Be(nonce, "the argument is refused before any approval is sent");
        (await ObservedAllowanceAsync(ownerService.ContractAddress, Owner, Spender)).Should().Be(BigInteger.Zero);
    }

    [Fact]
    public async Task Deploy_Collect_and_ChangeAllowance_name_a_null_web3_or_service()
    {
        var deployment = new KoansTokenDeployment("0x" + Convert.ToHexStringLower(Token.Bytecode)) { Name = "Koans Token", Symbol = "KOAN", InitialSupply = Supply };

        await ((Func<Task>)(() => KoansTokenService.DeployContractAndGetServiceAsync(null!, deployment, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("the Web3 is who sends the deployment").WithParameterName("web3");
        await ((Func<Task>)(() => TokenScript.CollectAsync(null!, Owner, Recipient, 1, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("the spender's service is who sends transferFrom").WithParameterName("spender");
        await ((Func<Task>)(() => TokenScript.ChangeAllowanceAsync(null!, Spender, 1, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("the owner's service is whose allowance changes").WithParameterName("owner");
    }

    [Fact]
    public async Task No_method_resumes_on_the_caller_s_synchronization_context()
    {
        var context = new CallerContext();

        var ownerService = await context.Run(() => DeployAsync());
        await ownerService.ApproveRequestAndWaitForReceiptAsync(Spender, 100, Ct);
        var spenderService = new KoansTokenService(As(1), ownerService.ContractAddress);
        await context.Run(() => TokenScript.CollectAsync(spenderService, Owner, Recipient, 10, Ct));
        await context.Run(() => TokenScript.ChangeAllowanceAsync(ownerService, Spender, 50, Ct));

        context.Posts.Should().Be(0,
            "this is library code: after each request it must not come back to the caller's context (a UI thread), where the hop queues behind the UI and a caller that blocks on the task deadlocks");
    }
}
