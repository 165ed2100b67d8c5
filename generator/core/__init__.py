"""The vocabulary: records, the policy, the rule catalogue, the playbook. No I/O.

Everything above imports from here; nothing here imports from above.
"""
