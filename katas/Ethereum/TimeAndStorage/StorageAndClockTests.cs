using System.Numerics;
using System.Security.Cryptography;
using Koans.Ethereum.Abi;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.Keccak;
using Koans.Ethereum.KeysToAddress;
using Koans.Ethereum.Transfer;
using Koans.Testing.Chain;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert and evm_increaseTime are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.TimeAndStorage;

public class StorageAndClockTests(AnvilFixture chain) : ChainTest(chain), IDisposable
{
    // infra/chain/contracts/TimeLockVault.sol: constructor(uint256 lockSeconds, bytes32 secret_) payable;
    // storage (artifact storageLayout): slot 0 owner, slot 1 unlockTime, slot 2 secret (private).
    private static readonly ContractArtifact Vault = ContractArtifact.Load("TimeLockVault");

    // infra/chain/contracts/KoansToken.sol: constructor(string, string, uint256); balanceOf is a mapping at slot 3.
    private static readonly ContractArtifact Token = ContractArtifact.Load("KoansToken");

    private const long LockSeconds = 3600;
    private static readonly BigInteger Deposit = BigInteger.Pow(10, 18);
    private readonly HttpClient http = new();

    // Moves the clock and needs snapshots: skipped (with the reason) on KOANS_CHAIN=rpc.
    protected override bool RequiresCheats => true;

    private TransactionSender Sender => new(new EthRpcClient(http, Chain.RpcUrl));

    private StorageAndClock Subject => new(Sender);

    private string OwnerKey => Chain.PrivateKeys[0];

    private string Owner => EthKeys.AddressFromPrivateKey(OwnerKey);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        http.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<(string Address, TransactionReceipt Receipt)> DeployVaultAsync(byte[] secret)
    {
        byte[] initCode = [.. Vault.Bytecode, .. AbiCodec.Encode(["uint256", "bytes32"], [new BigInteger(LockSeconds), secret])];
        var sender = Sender;
        var receipt = await sender.WaitForReceiptAsync(await sender.SendAsync(OwnerKey, null, Deposit, initCode, Ct), Ct);
        receipt.Succeeded.Should().BeTrue("the vault's constructor only stores its arguments");
        return (receipt.ContractAddress!, receipt);
    }

    private async Task<object[]> ViewAsync(string contract, string signature, string[] returnTypes, params object[] args)
    {
        var data = "0x" + Convert.ToHexStringLower(AbiCodec.EncodeCall(signature, args));
        var result = (await Sender.Rpc.CallAsync("eth_call", [new Dictionary<string, string> { ["to"] = contract, ["data"] = data }, "latest"], Ct)).GetString()!;
        return AbiCodec.Decode(returnTypes, Convert.FromHexString(result.AsSpan(2)));
    }

    private async Task<BigInteger> BlockTimestampAsync(ulong blockNumber)
    {
        var block = await Sender.Rpc.CallAsync("eth_getBlockByNumber", ["0x" + blockNumber.ToString("x", System.Globalization.CultureInfo.InvariantCulture), false], Ct);
        return EthRpcClient.ParseQuantity(block.GetProperty("timestamp").GetString()!);
    }

    [Fact]
    public async Task The_private_secret_is_read_from_its_storage_slot_by_anyone()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var (vault, _) = await DeployVaultAsync(secret);

        var slot = StorageAndClock.SlotOf(Vault.StorageLayout, "secret");
        var word = await Subject.ReadSlotAsync(vault, slot, Ct);

        slot.Should().Be(new BigInteger(2), "TimeLockVault's storageLayout puts secret after owner (slot 0) and unlockTime (slot 1)");
        word.Should().Equal(secret,
            "`bytes32 private secret` only hides it from other contracts' Solidity: every node stores it in the clear and eth_getStorageAt hands it to anyone");
    }

    [Fact]
    public async Task The_owner_and_the_unlock_time_decode_from_their_words()
    {
        var (vault, receipt) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var subject = Subject;

        var owner = StorageAndClock.WordToAddress(await subject.ReadSlotAsync(vault, StorageAndClock.SlotOf(Vault.StorageLayout, "owner"), Ct));
        var unlockTime = StorageAndClock.WordToUInt256(await subject.ReadSlotAsync(vault, StorageAndClock.SlotOf(Vault.StorageLayout, "unlockTime"), Ct));

        owner.Should().Be(Owner.ToLowerInvariant(), "an address is the last 20 bytes of its 32-byte word, and the constructor stored msg.sender");
        unlockTime.Should().Be((BigInteger)(await ViewAsync(vault, "unlockTime()", ["uint256"]))[0], "the storage word and the public getter read the same slot");
        unlockTime.Should().Be(await BlockTimestampAsync(receipt.BlockNumber) + LockSeconds, "the constructor set unlockTime = block.timestamp + lockSeconds");
    }

    [Fact]
    public async Task A_mapping_entry_lives_at_keccak_of_the_padded_key_and_the_mapping_slot()
    {
        var sender = Sender;
        byte[] initCode = [.. Token.Bytecode, .. AbiCodec.Encode(["string", "string", "uint256"], ["Koans Token", "KOAN", BigInteger.Pow(10, 24)])];
        var token = (await sender.WaitForReceiptAsync(await sender.SendAsync(OwnerKey, null, BigInteger.Zero, initCode, Ct), Ct)).ContractAddress!;
        var holder = "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        await sender.WaitForReceiptAsync(await sender.SendAsync(OwnerKey, token, BigInteger.Zero, AbiCodec.EncodeCall("transfer(address,uint256)", holder, new BigInteger(12345)), Ct), Ct);

        var mappingSlot = StorageAndClock.SlotOf(Token.StorageLayout, "balanceOf");
        var entrySlot = StorageAndClock.MappingSlot(holder, mappingSlot);
        var subject = Subject;

        mappingSlot.Should().Be(new BigInteger(3), "KoansToken declares name, symbol, totalSupply, then balanceOf (decimals is a constant: no slot)");
        entrySlot.Should().Be(new BigInteger(EthHash.Keccak256(AbiCodec.Encode(["address", "uint256"], [holder, mappingSlot])), isUnsigned: true, isBigEndian: true),
            "Solidity docs, 'Mappings and Dynamic Arrays': the value for key k is at keccak256(h(k) . p)");
        StorageAndClock.WordToUInt256(await subject.ReadSlotAsync(token, entrySlot, Ct)).Should().Be(new BigInteger(12345),
            "that slot holds balanceOf[holder], the 12345 base units just transferred");
        StorageAndClock.WordToUInt256(await subject.ReadSlotAsync(token, mappingSlot, Ct)).Should().Be(BigInteger.Zero,
            "the mapping's own slot only seeds the hash: it stays empty");
    }

    [Fact]
    public async Task Withdrawing_before_the_unlock_time_fails_with_the_decoded_StillLocked_error()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var unlockTime = (BigInteger)(await ViewAsync(vault, "unlockTime()", ["uint256"]))[0];

        var act = () => Subject.WithdrawAsync(OwnerKey, vault, Ct);

        var locked = (await act.Should().ThrowAsync<StillLockedException>(
            "the gas estimate runs withdraw(), which reverts with StillLocked(block.timestamp, unlockTime); its data is the selector 0x41344244 and two words")).Which;
        locked.UnlockTime.Should().Be(unlockTime, "the second argument of StillLocked is the vault's unlockTime");
        locked.CurrentTime.Should().BeLessThan(unlockTime, "the first argument is the block time the withdrawal was tried at");
        (await Sender.Rpc.GetBalanceAsync(vault, cancellationToken: Ct)).Should().Be(Deposit, "nothing left the vault");
    }

    [Fact]
    public async Task After_moving_the_clock_past_the_unlock_time_the_owner_withdraws_the_deposit()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var unlockTime = (BigInteger)(await ViewAsync(vault, "unlockTime()", ["uint256"]))[0];
        var subject = Subject;

        var now = await subject.AdvanceTimeAsync(LockSeconds, Ct);

        ((BigInteger)now).Should().BeGreaterThanOrEqualTo(unlockTime, "evm_increaseTime shifted the clock by the lock period and evm_mine made a block with the new time");
        (await ViewAsync(vault, "isUnlocked()", ["bool"])).Should().Equal([true], "isUnlocked() is block.timestamp >= unlockTime");

        var before = await Sender.Rpc.GetBalanceAsync(Owner, cancellationToken: Ct);
        var receipt = await subject.WithdrawAsync(OwnerKey, vault, Ct);

        receipt.Succeeded.Should().BeTrue();
        (await Sender.Rpc.GetBalanceAsync(vault, cancellationToken: Ct)).Should().Be(BigInteger.Zero, "withdraw() sends the whole balance");
        (await Sender.Rpc.GetBalanceAsync(Owner, cancellationToken: Ct)).Should().Be(before + Deposit - receipt.Fee,
            "the owner receives the deposit and pays gasUsed * effectiveGasPrice for the withdrawal, to the wei");
    }

    [Fact]
    public async Task A_negative_time_delta_is_rejected_before_reaching_the_node()
    {
        var subject = Subject;
        var block = await subject.Sender.Rpc.BlockNumberAsync(Ct);

        var act = () => subject.AdvanceTimeAsync(-60, Ct);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>("block timestamps never decrease; a lock cannot be re-locked by winding the clock back");
        (await subject.Sender.Rpc.BlockNumberAsync(Ct)).Should().Be(block, "nothing was mined");
    }

    [Fact]
    public void An_unknown_variable_name_is_rejected_rather_than_guessed()
    {
        var act = () => StorageAndClock.SlotOf(Vault.StorageLayout, "password");

        act.Should().Throw<ArgumentException>("TimeLockVault has no variable 'password'; a guessed slot would read another variable's bytes and look valid")
            .WithMessage("*password*");
    }

    [Fact]
    public async Task A_slot_outside_256_bits_is_rejected_before_any_request()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var subject = Subject;

        var negative = () => subject.ReadSlotAsync(vault, BigInteger.MinusOne, Ct);
        var tooLarge = () => subject.ReadSlotAsync(vault, BigInteger.One << 256, Ct);

        await negative.Should().ThrowAsync<ArgumentOutOfRangeException>("slots are uint256: there is no slot -1");
        await tooLarge.Should().ThrowAsync<ArgumentOutOfRangeException>("slots are uint256: 2^256 does not fit");
    }

    [Fact]
    public async Task A_stranger_cannot_withdraw_even_after_the_unlock_time()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var subject = Subject;
        await subject.AdvanceTimeAsync(LockSeconds, Ct);
        var strangerKey = Chain.PrivateKeys[1];

        var act = () => subject.WithdrawAsync(strangerKey, vault, Ct);

        var refused = (await act.Should().ThrowAsync<JsonRpcException>("the lock is open, but withdraw() reverts with NotOwner(msg.sender) for anyone but the owner")).Which;
        refused.ErrorData!.Value.GetString().Should().StartWith(EthHash.FunctionSelector("NotOwner(address)"),
            "the revert data starts with the selector of NotOwner(address), not StillLocked");
        (await Sender.Rpc.GetBalanceAsync(vault, cancellationToken: Ct)).Should().Be(Deposit);
    }
}
