"""Pure logic of the research layer (enrich): shingles and MinHash signatures, duplicate clusters,
region tags, slogan terms, word segmentation and search snippets.

No database, no network, no Prefect: `flows/enrich.py` feeds these functions batches of article
rows read by `warehouse/enrich.py` and writes back what they return.
"""
