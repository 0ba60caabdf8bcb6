package io.wagateway.conversation;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class CustomerProfileRepository implements PanacheRepositoryBase<CustomerProfile, UUID> {
}
