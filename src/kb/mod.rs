//! The knowledge base: diagnosis entries (`kb/*.yaml`) and the matcher from model findings to diagnoses.
